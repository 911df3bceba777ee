import { describe, expect, it } from "vitest";
import { ApiError, REFUSAL_LOG_INTERVAL_MS, refusalLog } from "../../../src/api";
import type { RuntimeLogger } from "../../../src/runtime";

function recorder() {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (msg: string, context?: Record<string, unknown>) =>
    lines.push([level, msg, context]);
  const log: RuntimeLogger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
  return { log, lines };
}

const refused = new ApiError(
  { code: "API_HOST_REFUSED", host: '"attacker.example:7710"' },
  "Cannot serve request: ...",
);

describe("refusalLog()", () => {
  it("logs a refusal at warn with its code and quoted header", () => {
    const { log, lines } = recorder();
    refusalLog(log, { now: () => 0 })(refused, "a request");
    expect(lines).toEqual([
      [
        "warn",
        "control API refused a request",
        { code: "API_HOST_REFUSED", host: '"attacker.example:7710"' },
      ],
    ]);
  });

  it("logs at most one line per REFUSAL_LOG_INTERVAL_MS, then says how many it held back", () => {
    const { log, lines } = recorder();
    let t = 1_000;
    const note = refusalLog(log, { now: () => t });
    note(refused, "a request");
    for (let i = 0; i < 500; i++) {
      t += 1;
      note(refused, "a request");
    }
    expect(lines).toHaveLength(1);
    t = 1_000 + REFUSAL_LOG_INTERVAL_MS - 1;
    note(refused, "a request");
    expect(lines).toHaveLength(1);
    t = 1_000 + REFUSAL_LOG_INTERVAL_MS;
    note(refused, "an event stream");
    expect(lines[1]).toEqual([
      "warn",
      "control API refused an event stream",
      { code: "API_HOST_REFUSED", host: '"attacker.example:7710"', suppressed: 501 },
    ]);
    t += REFUSAL_LOG_INTERVAL_MS;
    note(refused, "a request");
    expect(lines[2]?.[2]).not.toHaveProperty("suppressed");
  });
});
