import { describe, expect, it } from "vitest";
import { configTrustedKeys, resolveTrust, TRUSTED_KEYS_ENV } from "../../../src/boot";
import { generateSigningKey, trustedKeyOf } from "../../../src/upgrade";

const compiled = { threshold: 1, keys: [trustedKeyOf(generateSigningKey("compiled"))] };
const own = { threshold: 1, keys: [trustedKeyOf(generateSigningKey("private-net"))] };
const path = "/etc/anode/config.json";
const config = (text: string | undefined) => ({ path, trustedKeys: configTrustedKeys(text) });

describe("resolveTrust()", () => {
  it("takes the environment's keys over the config file's and the compiled ones, and says so", () => {
    const t = resolveTrust(compiled, {
      env: { [TRUSTED_KEYS_ENV]: JSON.stringify(own) },
      config: config(JSON.stringify({ upgrade: { trustedKeys: compiled } })),
    });
    expect(t.keys.keys.map((k) => k.id)).toEqual(["private-net"]);
    expect(t.source).toEqual({ kind: "env", name: TRUSTED_KEYS_ENV });
  });

  it("takes upgrade.trustedKeys from the config file when the environment has none, naming the file", () => {
    const t = resolveTrust(compiled, {
      env: { [TRUSTED_KEYS_ENV]: "" },
      config: config(JSON.stringify({ upgrade: { trustedKeys: own } })),
    });
    expect(t.keys.keys.map((k) => k.id)).toEqual(["private-net"]);
    expect(t.source).toEqual({ kind: "config", path });
  });

  it.each([
    ["no config file", undefined],
    ["a config file that is not JSON", "{oops"],
    ["a config file without upgrade.trustedKeys", JSON.stringify({ upgrade: {} })],
    ["a config file of null", "null"],
  ])("keeps the compiled keys with %s, and says they are compiled in", (_what, text) => {
    const t = resolveTrust(compiled, { env: {}, config: config(text) });
    expect(t.keys).toBe(compiled);
    expect(t.source).toBe("compiled");
  });

  it("keeps the compiled keys when there is no config at all", () => {
    expect(resolveTrust(compiled, { env: {} })).toEqual({ keys: compiled, source: "compiled" });
  });

  it("throws on a malformed override instead of falling back to other keys", () => {
    expect(() =>
      resolveTrust(compiled, {
        env: { [TRUSTED_KEYS_ENV]: "{not json" },
        config: config(undefined),
      }),
    ).toThrow();
    expect(() =>
      resolveTrust(compiled, {
        env: {},
        config: config(JSON.stringify({ upgrade: { trustedKeys: { threshold: 0, keys: [] } } })),
      }),
    ).toThrow();
  });
});
