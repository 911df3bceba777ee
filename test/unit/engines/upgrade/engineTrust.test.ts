import { afterEach, describe, expect, it } from "vitest";
import { type BootInfo, TRUSTED_KEYS_ENV } from "../../../../src/boot";
import { defaultUpgradeOptions } from "../../../../src/config";
import { OPERATOR, type UpgradeStatus, upgradeEngine } from "../../../../src/engines";
import { engineTrust } from "../../../../src/engines/upgrade/engineTrust";
import { type Engine, ModuleTable, Registry, spawn } from "../../../../src/runtime";
import { generateSigningKey, trustedKeyOf } from "../../../../src/upgrade";
import { tempDir } from "../../../support/tempDir";

const compiled = { threshold: 1, keys: [trustedKeyOf(generateSigningKey("compiled"))] };
const own = {
  threshold: 2,
  keys: ["net-a", "net-b"].map((id) => trustedKeyOf(generateSigningKey(id))),
};
const boot = (trust?: BootInfo["trust"]): BootInfo => ({
  source: "embedded",
  appVersion: "1.0.0",
  binaryVersion: "1.0.0",
  build: "test",
  refused: [],
  ...(trust === undefined ? {} : { trust }),
});

describe("engineTrust()", () => {
  const options = { ...defaultUpgradeOptions, trustedKeys: own };

  it("takes boot's keys and boot's source over its own options, so the two never disagree", () => {
    const source = { kind: "config" as const, path: "/etc/anode/config.json" };
    const t = engineTrust(
      {
        options,
        compiledTrust: compiled,
        boot: boot({ source, threshold: 1, keys: ["compiled"] }),
      },
      {},
    );
    expect(t).toEqual({ keys: compiled, source });
  });

  it("without boot's word resolves by the same rules: environment, then options, then the host's keys", () => {
    const env = { [TRUSTED_KEYS_ENV]: JSON.stringify(compiled) };
    expect(engineTrust({ options, compiledTrust: compiled, boot: boot() }, env)).toEqual({
      keys: compiled,
      source: { kind: "env", name: TRUSTED_KEYS_ENV },
    });
    expect(engineTrust({ options, compiledTrust: compiled }, {}).source).toEqual({
      kind: "config",
      path: "upgrade.trustedKeys",
    });
    expect(engineTrust({ options: defaultUpgradeOptions, compiledTrust: compiled }, {})).toEqual({
      keys: compiled,
      source: "compiled",
    });
  });
});

describe("upgrade engine trust", () => {
  const engines: Engine<unknown>[] = [];
  const dirs: Array<{ remove(): void }> = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
    for (const d of dirs.splice(0)) d.remove();
  });

  async function start(b: BootInfo) {
    const dir = tempDir("anode-engine-trust-");
    dirs.push(dir);
    const warnings: Array<{ msg: string; context?: Record<string, unknown> }> = [];
    const registry = new Registry();
    const log = {
      debug() {},
      info() {},
      error() {},
      warn: (msg: string, context?: Record<string, unknown>) =>
        void warnings.push({ msg, ...(context ? { context } : {}) }),
    };
    const engine = await spawn(
      upgradeEngine,
      {
        options: { ...defaultUpgradeOptions, policy: "manual" },
        dataDir: dir.path,
        nodeId: "self",
        modules: new ModuleTable(),
        broker: {
          subscribe: async () => "",
          unsubscribeEngine: async () => {},
          publish() {},
        } as never,
        platform: "linux-x64",
        binary: { path: undefined, owner: undefined },
        exit() {},
        compiledTrust: own,
        boot: b,
      },
      { registry, log },
    );
    engines.push(engine as Engine<unknown>);
    const status = (await engine.call({ type: "status", op: OPERATOR }, 10_000)) as UpgradeStatus;
    return { warnings, status };
  }

  it("warns at start that the keys are overridden, naming the source and the key ids, and reports both", async () => {
    const source = { kind: "env" as const, name: TRUSTED_KEYS_ENV };
    const { warnings, status } = await start(
      boot({ source, threshold: 2, keys: ["net-a", "net-b"] }),
    );
    expect(warnings).toContainEqual({
      msg: `release keys overridden by env ${TRUSTED_KEYS_ENV} (2 of 2: net-a, net-b)`,
      context: { source, threshold: 2, keys: ["net-a", "net-b"] },
    });
    expect(status.trust).toEqual({ source, threshold: 2, keys: ["net-a", "net-b"] });
  });

  it("says nothing at start for the compiled-in keys, and reports them as compiled", async () => {
    const { warnings, status } = await start(
      boot({ source: "compiled", threshold: 2, keys: ["net-a", "net-b"] }),
    );
    expect(warnings.filter((w) => w.msg.includes("release keys"))).toEqual([]);
    expect(status.trust).toEqual({ source: "compiled", threshold: 2, keys: ["net-a", "net-b"] });
  });
});
