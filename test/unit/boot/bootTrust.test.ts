import { describe, expect, it } from "vitest";
import { BootError, bootTrust, TRUSTED_KEYS_ENV } from "../../../src/boot";
import { generateSigningKey, trustedKeyOf } from "../../../src/upgrade";

const compiled = { threshold: 1, keys: [trustedKeyOf(generateSigningKey("compiled"))] };
const own = { threshold: 1, keys: [trustedKeyOf(generateSigningKey("private-net"))] };
const CONFIG = "/etc/anode/config.json";
const withKeys = JSON.stringify({ upgrade: { trustedKeys: own } });

function where(o: { argv: string[]; env?: NodeJS.ProcessEnv; files?: Record<string, string> }) {
  return {
    argv: o.argv,
    env: o.env ?? {},
    platform: "linux" as const,
    home: "/home/u",
    cwd: "/",
    readFile: (p: string) => o.files?.[p],
  };
}

describe("bootTrust()", () => {
  const unsafe = () => `${CONFIG} is writable by every account (mode 0666; fix it)`;

  it("refuses a system service's override from a config file others can write, with one clear line", () => {
    let err: unknown;
    try {
      bootTrust(where({ argv: ["--system", "start"], files: { [CONFIG]: withKeys } }), compiled, {
        check: unsafe,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BootError);
    expect((err as BootError).code).toBe("BOOT_TRUST_UNSAFE");
    expect((err as Error).message).toBe(
      `Cannot trust the release keys in ${CONFIG} (upgrade.trustedKeys) for a system service: ${unsafe()}`,
    );
  });

  it("checks the file a system service actually reads (--config)", () => {
    const seen: string[] = [];
    const t = bootTrust(
      where({ argv: ["--system", "--config", "/srv/a.json"], files: { "/srv/a.json": withKeys } }),
      compiled,
      { check: (p) => void seen.push(p) },
    );
    expect(seen).toEqual(["/srv/a.json"]);
    expect(t.source).toEqual({ kind: "config", path: "/srv/a.json" });
  });

  it("takes a system service's override from a safe config file, naming it", () => {
    const t = bootTrust(
      where({ argv: ["--system", "start"], files: { [CONFIG]: withKeys } }),
      compiled,
      { check: () => undefined },
    );
    expect(t).toEqual({ keys: own, source: { kind: "config", path: CONFIG } });
  });

  it("does not check a user's own config, nor a system config that overrides nothing", () => {
    const refuse = () => {
      throw new Error("checked");
    };
    const userConfig = "/home/u/.local/share/anode/config.json";
    expect(
      bootTrust(where({ argv: ["start"], files: { [userConfig]: withKeys } }), compiled, {
        check: refuse,
      }).source,
    ).toEqual({ kind: "config", path: userConfig });
    expect(
      bootTrust(where({ argv: ["--system"], files: { [CONFIG]: "{}" } }), compiled, {
        check: refuse,
      }),
    ).toEqual({ keys: compiled, source: "compiled" });
  });

  it("takes a system service's override from the environment (its service definition), naming it", () => {
    const t = bootTrust(
      where({
        argv: ["--system", "start"],
        env: { [TRUSTED_KEYS_ENV]: JSON.stringify(own) },
        files: { [CONFIG]: withKeys },
      }),
      compiled,
      { check: unsafe },
    );
    expect(t).toEqual({ keys: own, source: { kind: "env", name: TRUSTED_KEYS_ENV } });
  });
});
