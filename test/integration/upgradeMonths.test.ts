import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunningApp } from "../../src/engines";
import { BUNDLE, runCli } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import {
  alive,
  eventually,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
  useTestnetDir,
} from "../support/testnet";
import { probeOf } from "../support/upgradeFixtures/probe";
import { buildRelease, redateRelease, releaseKey } from "../support/upgradeRelease";

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Releases come three weeks apart and each manifest is valid for two: every one expires installed. */
const EVERY = 3 * WEEK;
const VALID_FOR = 2 * WEEK;
const VERSIONS = ["0.2.0", "0.3.0", "0.4.0", "0.5.0", "0.6.0"] as const;

interface NodeStatus {
  app?: RunningApp;
  boot?: {
    source: string;
    appVersion: string;
    refused: Array<{ version: string; reason: string }>;
  };
  mempool: { probe?: string };
}
interface UpgradeStatus {
  running: string;
  highestAccepted: string;
  bad: Record<string, string>;
  releases: Array<{ version: string; status: string }>;
}

/**
 * A node's life over months, with its clock moved forward through ANODE_CLOCK_OFFSET_MS:
 * five app releases reach it over p2p from a publishing node, weeks apart; it restarts
 * between them; every manifest expires while its release is installed. Which release
 * runs is read from behaviour: the perRelease fixture's mempool answers a probe its own
 * code computes from its version.
 */
describe("a node's life over months of releases", () => {
  const { dir, net } = useTestnetDir("anode-upgrade-months-");
  const key = releaseKey(dir);
  const env = { ...key.env, ANODE_UPGRADE_HEALTH_WINDOW_MS: "1000" };
  const t0 = Date.now();

  it("always runs the newest accepted release, never boots below it, keeps running expired ones, and re-applies a lifted rollback", async () => {
    const started = Date.now();
    // Release i is published at week 3i and expires at week 3i + 2 (by the moved clock).
    // Each is made today: a node refuses a createdAt more than MAX_CLOCK_SKEW_MS ahead
    // of its clock, and the publisher's clock stays at today.
    const manifests: string[] = [];
    for (const [i, version] of VERSIONS.entries()) {
      const file = await buildRelease(dir, { version, fixture: "perRelease", key });
      redateRelease(file, key, {
        createdAt: t0,
        expiresAt: t0 + i * EVERY + VALID_FOR,
      });
      manifests.push(file);
    }
    const built = Date.now();

    const basePort = await freePort("127.0.0.2");
    const up = await runCli(
      ["testnet", "up", "-n", "2", "--degree", "1", "--dir", net, "--base-port", String(basePort)],
      { env, timeoutMs: 120_000 },
    );
    expect(up.code, up.stderr + up.stdout).toBe(0);
    // The publisher stays at today's clock: it accepts each release (not yet expired for
    // it), takes it itself (its turn is now) and serves its chunks.
    const publisher = readTestnetState(net).nodes[0] as TestnetNodeInfo;
    let node = readTestnetState(net).nodes[1] as TestnetNodeInfo;
    const cli = (n: TestnetNodeInfo, args: string[], extra: Record<string, string> = {}) =>
      runCli(["--config", join(n.dir, "config.json"), ...args], { env: { ...env, ...extra } });
    const embedded = (await nodeApi<NodeStatus>(node, "GET", "/v1/status")).boot?.appVersion;

    const logTail = () => {
      try {
        return readFileSync(join(node.dir, "node.log"), "utf8").slice(-1500);
      } catch {
        return "(no node.log)";
      }
    };
    /** The node's code answers as `version`'s code does, and says how it came to run. */
    const runs = async (version: string, how: RunningApp["how"]) => {
      let last: NodeStatus | undefined;
      let failure = "";
      await eventually(
        async () => {
          last = await nodeApi<NodeStatus>(node, "GET", "/v1/status").catch((err: Error) => {
            failure = err.message;
            return undefined;
          });
          return (
            last?.mempool.probe === probeOf(version) &&
            last.app?.version === version &&
            last.app.how === how &&
            !last.app.trial
          );
        },
        30_000,
        `${version} to run (${how}); last status: ${JSON.stringify(last?.app)} probe ${last?.mempool.probe} ${failure}; node.log ends: ${logTail()}`,
      );
      return last as NodeStatus;
    };
    const publish = async (i: number) => {
      const r = await cli(publisher, ["release", "publish", manifests[i] as string]);
      expect(r.code, r.stderr).toBe(0);
      await runs(VERSIONS[i] as string, "hot-swapped");
    };
    /** Stops the node and starts it again `weeks` after the first release. */
    const restart = async (weeks: number, before?: () => void) => {
      const pid = node.pid;
      if (pid !== null) process.kill(pid, "SIGTERM");
      await eventually(async () => !alive(pid), 20_000, `node ${node.index} to stop`);
      before?.();
      const offset = String(weeks * WEEK);
      const again = await runCli(["testnet", "up", "--dir", net], {
        env: { ...env, ANODE_CLOCK_OFFSET_MS: offset },
        timeoutMs: 60_000,
      });
      expect(again.code, again.stderr + again.stdout).toBe(0);
      node = readTestnetState(net).nodes[1] as TestnetNodeInfo;
    };
    const expiredBy = (i: number, weeks: number) => t0 + i * EVERY + VALID_FOR < t0 + weeks * WEEK;

    // Week 0: 0.2.0 arrives over p2p and is swapped in; status says so, not "embedded".
    await publish(0);
    const shown = await cli(node, ["status"]);
    expect(shown.stdout).toMatch(
      new RegExp(
        `^app {9}0\\.2\\.0, hot-swapped at runtime from ${embedded} at \\S+, permanent; booted ${embedded} \\(embedded`,
        "m",
      ),
    );

    // Week 3: 0.2.0's manifest has expired; the node still boots it, and republishing it
    // is a no-op rather than an error. Then 0.3.0 arrives.
    await restart(3);
    expect(expiredBy(0, 3)).toBe(true);
    await runs("0.2.0", "installed");
    const republished = await cli(node, ["release", "publish", manifests[0] as string]);
    expect(republished.code, republished.stderr).toBe(0);
    expect(republished.stdout).toBe(
      "release 0.2.0 was already accepted by this node, which runs it: nothing changed (announced to the network again)\n",
    );
    expect((await nodeApi<UpgradeStatus>(node, "GET", "/v1/upgrade/status")).bad).toEqual({});
    await publish(1);

    // Week 6: state.json pointed back at 0.2.0 (signed, installed, older): boot refuses
    // it, with a reason, and boots 0.3.0. Then 0.4.0 arrives.
    await restart(6, () => {
      const state = join(node.dir, "app", "state.json");
      const s = JSON.parse(readFileSync(state, "utf8"));
      writeFileSync(state, JSON.stringify({ ...s, current: "0.2.0", lastGood: "0.2.0" }));
    });
    const booted = await runs("0.3.0", "installed");
    expect(booted.boot?.refused).toEqual([
      { version: "0.2.0", reason: expect.stringMatching(/^it is older than 0\.3\.0, the highest/) },
    ]);
    expect(readFileSync(join(node.dir, "node.log"), "utf8")).toMatch(
      /anode: refused app bundle 0\.2\.0 in .*: it is older than 0\.3\.0, .*; trying 0\.3\.0/,
    );
    await publish(2);

    // Week 9: 0.4.0 boots although expired; 0.5.0 arrives, and the operator rolls it back.
    await restart(9);
    await runs("0.4.0", "installed");
    await publish(3);
    const back = await cli(node, ["--json", "upgrade", "rollback"]);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toEqual({ rolledBack: "0.5.0", running: "0.4.0" });
    await runs("0.4.0", "rolled-back");
    // What the metrics count: 0.5.0 swapped in, then put back, in this process.
    const { counts } = await nodeApi<{ counts: { swaps: number; rollbacks: number } }>(
      node,
      "GET",
      "/v1/upgrade/status",
    );
    expect(counts).toEqual({ swaps: 1, rollbacks: 1 });

    // Week 12: the rollback holds across a restart (0.5.0's manifest has expired too);
    // lifting it, confirmed, re-applies 0.5.0. Then 0.6.0 arrives.
    await restart(12);
    expect(expiredBy(3, 12)).toBe(true);
    await runs("0.4.0", "installed");
    const unconfirmed = await cli(node, ["upgrade", "unblock", "0.5.0"]);
    expect(unconfirmed.code).toBe(2);
    // On a terminal it asks; "n" changes nothing. bsdutils' script(1) gives it a pty.
    expect(existsSync("/usr/bin/script"), "script(1) from bsdutils is needed for a pty").toBe(true);
    const declined = spawnSync(
      "/usr/bin/script",
      [
        "-qec",
        `${process.execPath} ${BUNDLE} --config ${join(node.dir, "config.json")} upgrade unblock 0.5.0`,
        "/dev/null",
      ],
      { input: "n\n", env: { ...process.env, ...env, NO_COLOR: "1" }, timeout: 20_000 },
    );
    expect(declined.stdout.toString()).toContain(
      "Lift the operator's rollback of release 0.5.0 on this node, so it can be applied again? [y/N]",
    );
    expect(declined.stdout.toString()).toContain("Cannot unblock 0.5.0: not confirmed");
    expect(declined.status).toBe(1);
    expect((await nodeApi<UpgradeStatus>(node, "GET", "/v1/upgrade/status")).bad).toHaveProperty(
      "0.5.0",
    );
    const lifted = await cli(node, ["upgrade", "unblock", "0.5.0", "--yes"]);
    expect(lifted.code, lifted.stderr).toBe(0);
    await runs("0.5.0", "hot-swapped");
    await publish(4);

    // Week 15: every manifest has expired; the node boots the newest accepted release.
    await restart(15);
    expect(VERSIONS.every((_v, i) => expiredBy(i, 15))).toBe(true);
    await runs("0.6.0", "installed");
    const s = await nodeApi<UpgradeStatus>(node, "GET", "/v1/upgrade/status");
    expect(s).toMatchObject({ running: "0.6.0", highestAccepted: "0.6.0", bad: {} });

    const took = Date.now() - started;
    process.stdout.write(
      `upgradeMonths: ${VERSIONS.length} releases built in ${built - started} ms, 5 restarts, whole life in ${took} ms\n`,
    );
  }, 180_000);
});
