import { describe, expect, it } from "vitest";
import { describeTrust, TRUSTED_KEYS_ENV, trustSummary } from "../../../src/boot";
import { generateSigningKey, trustedKeyOf } from "../../../src/upgrade";

const keys = {
  threshold: 2,
  keys: ["a", "b", "c"].map((id) => trustedKeyOf(generateSigningKey(id))),
};

describe("trustSummary() and describeTrust()", () => {
  it("give the source, the threshold and the key ids, never the key material", () => {
    const s = trustSummary({ keys, source: { kind: "env", name: TRUSTED_KEYS_ENV } });
    expect(s).toEqual({
      source: { kind: "env", name: TRUSTED_KEYS_ENV },
      threshold: 2,
      keys: ["a", "b", "c"],
    });
    expect(JSON.stringify(s)).not.toContain(keys.keys[0]?.publicKey);
  });

  it.each([
    ["compiled" as const, "compiled in (2 of 3: a, b, c)"],
    [
      { kind: "env" as const, name: TRUSTED_KEYS_ENV },
      `overridden by env ${TRUSTED_KEYS_ENV} (2 of 3: a, b, c)`,
    ],
    [
      { kind: "config" as const, path: "/etc/anode/config.json" },
      "overridden by config /etc/anode/config.json (2 of 3: a, b, c)",
    ],
  ])("describes %j as one line", (source, line) => {
    expect(describeTrust(trustSummary({ keys, source }))).toBe(line);
  });

  it("says so when there are no keys at all (run from source without boot)", () => {
    expect(describeTrust({ source: "compiled", threshold: 1, keys: [] })).toBe(
      "none, every release is refused",
    );
  });
});
