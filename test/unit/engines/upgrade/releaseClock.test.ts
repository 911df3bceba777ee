import { describe, expect, it } from "vitest";
import { parseClockOffset } from "../../../../src/engines/upgrade/releaseClock";

describe("parseClockOffset()", () => {
  it("is zero when unset or empty", () => {
    expect(parseClockOffset(undefined)).toEqual({ offsetMs: 0 });
    expect(parseClockOffset("")).toEqual({ offsetMs: 0 });
  });

  it("takes a whole number of milliseconds forward", () => {
    expect(parseClockOffset("1814400000")).toEqual({ offsetMs: 1_814_400_000 });
  });

  it.each(["-86400000", "1.5", "1e9", "soon", "99999999999999999999"])(
    "ignores %s with a reason: the clock may only move forward, by a whole number",
    (raw) => {
      const r = parseClockOffset(raw);
      expect(r.offsetMs).toBe(0);
      expect(r.problem).toMatch(/^ANODE_CLOCK_OFFSET_MS=.* ignored: .*only move forward/);
    },
  );
});
