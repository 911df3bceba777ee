import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useHostileNode } from "../../support/hostileNode";
import { runCli } from "../../support/nodeProcess";
import { freePort } from "../../support/ports";
import { tempDir } from "../../support/tempDir";
import { releaseKey } from "../../support/upgradeRelease";

/**
 * Release keys that replace the compiled-in ones decide which code a node runs. The
 * hostile node trusts a throwaway key through ANODE_UPGRADE_TRUSTED_KEYS: that must be
 * loud at start, in `status`, in `upgrade status` and in their JSON. And a system service
 * must refuse keys from a config file its own account (or anyone but root) could rewrite.
 */
const node = useHostileNode();
const ENV = "ANODE_UPGRADE_TRUSTED_KEYS";
const OVERRIDDEN = `release keys: overridden by env ${ENV} (1 of 1: test-release)`;

describe("an override of the compiled-in release keys", () => {
  it("is logged at warn at start, naming the source and the key ids", () => {
    const n = node();
    const { stdout, stderr } = n.proc.output();
    const lines = `${stdout}\n${stderr}`
      .split("\n")
      .filter((l) => l.includes("release keys overridden"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "warn",
      msg: `release keys overridden by env ${ENV} (1 of 1: test-release)`,
      source: { kind: "env", name: ENV },
      threshold: 1,
      keys: ["test-release"],
    });
    expect(JSON.stringify(lines[0])).not.toContain(n.key.trust.keys[0]?.publicKey);
  });

  it("is a line in `anode status` and `anode upgrade status`, and the source in their --json", async () => {
    const n = node();
    const before = n.snapshot();
    const flags = ["--data-dir", n.dataDir, "--api-port", String(n.apiPort)];
    const status = await runCli([...flags, "status"]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout.split("\n")).toContain(OVERRIDDEN);
    const upgrade = await runCli([...flags, "upgrade", "status"]);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout.split("\n")).toContain(OVERRIDDEN);

    const trust = { source: { kind: "env", name: ENV }, threshold: 1, keys: ["test-release"] };
    const json = JSON.parse((await runCli([...flags, "--json", "status"])).stdout);
    expect(json.boot.trust).toEqual(trust);
    expect(json.app.trust).toEqual(trust);
    const upgradeJson = JSON.parse(
      (await runCli([...flags, "--json", "upgrade", "status"])).stdout,
    );
    expect(upgradeJson.trust).toEqual(trust);
    await n.expectUnharmed(before);
  });
});

describe.skipIf(process.platform === "win32")(
  "a system service's keys from its config file",
  () => {
    const dir = tempDir("anode-trust-system-");
    afterAll(() => dir.remove());
    const root = process.getuid?.() === 0;

    /** A config file that plants its own release key, with `mode`, in a 0755 folder. */
    function plantedConfig(mode: number) {
      const etc = join(dir.path, `etc-${mode.toString(8)}`);
      mkdirSync(etc, { mode: 0o755 });
      chmodSync(etc, 0o755);
      const config = join(etc, "config.json");
      const key = releaseKey(etc, "planted");
      writeFileSync(config, JSON.stringify({ upgrade: { trustedKeys: key.trust } }));
      chmodSync(config, mode);
      const dataDir = join(dir.path, `data-${mode.toString(8)}`);
      return { config, dataDir, args: ["--system", "--config", config, "--data-dir", dataDir] };
    }

    it("refuses to start when the file is writable by others, in one line that says by whom and how to fix it", async () => {
      const { config, dataDir, args } = plantedConfig(0o666);
      const started = await runCli([...args, "--api-port", String(await freePort()), "start"], {
        env: { ANODE_P2P_LISTEN: `127.0.0.1:${await freePort()}` },
        timeoutMs: 15_000,
      });
      expect(started.code).toBe(2);
      expect(started.stderr).toBe(
        `anode: Cannot trust the release keys in ${config} (upgrade.trustedKeys) for a system service: ${config} is writable by every account (mode 0666; chown root ${config} && chmod 644 ${config})\n`,
      );
      expect(existsSync(join(dataDir, "db")), "the node started anyway").toBe(false);
    });

    it("takes the file once only root can write it (0644, root's), and refuses it while the running account owns it", async () => {
      const { config, args } = plantedConfig(0o644);
      const r = await runCli([...args, "--version"]);
      if (root) {
        expect(r.code, r.stderr).toBe(0);
      } else {
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(
          `${config} is owned by uid ${process.getuid?.()}, who can write it`,
        );
      }
    });
  },
);
