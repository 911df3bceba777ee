import { describe, expect, it } from "vitest";
import { resolveTrust, TRUSTED_KEYS_ENV } from "../../../src/boot";
import { generateSigningKey, trustedKeyOf } from "../../../src/upgrade";

const compiled = { threshold: 1, keys: [trustedKeyOf(generateSigningKey("compiled"))] };
const own = { threshold: 1, keys: [trustedKeyOf(generateSigningKey("private-net"))] };

describe("resolveTrust()", () => {
  it("takes the environment's keys over the config file's and the compiled ones", () => {
    const t = resolveTrust(compiled, {
      env: { [TRUSTED_KEYS_ENV]: JSON.stringify(own) },
      configText: JSON.stringify({ upgrade: { trustedKeys: compiled } }),
    });
    expect(t.keys.map((k) => k.id)).toEqual(["private-net"]);
  });

  it("takes upgrade.trustedKeys from the config file when the environment has none", () => {
    const t = resolveTrust(compiled, {
      env: { [TRUSTED_KEYS_ENV]: "" },
      configText: JSON.stringify({ upgrade: { trustedKeys: own } }),
    });
    expect(t.keys.map((k) => k.id)).toEqual(["private-net"]);
  });

  it.each([
    ["no config file", undefined],
    ["a config file that is not JSON", "{oops"],
    ["a config file without upgrade.trustedKeys", JSON.stringify({ upgrade: {} })],
    ["a config file of null", "null"],
  ])("keeps the compiled keys with %s", (_what, configText) => {
    expect(resolveTrust(compiled, { env: {}, configText })).toBe(compiled);
  });

  it("throws on a malformed override instead of falling back to other keys", () => {
    expect(() =>
      resolveTrust(compiled, { env: { [TRUSTED_KEYS_ENV]: "{not json" }, configText: undefined }),
    ).toThrow();
    expect(() =>
      resolveTrust(compiled, {
        env: {},
        configText: JSON.stringify({ upgrade: { trustedKeys: { threshold: 0, keys: [] } } }),
      }),
    ).toThrow();
  });
});
