import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CHAIN,
  chainOf,
  publishActivation,
  putLoad,
  rootAt,
  startChainNet,
  upgradeOf,
} from "../support/activationNet";
import { appendOpTree } from "../support/appendOp";
import { runCli } from "../support/nodeProcess";
import {
  alive,
  eventually,
  killPids,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
  useTestnetDir,
} from "../support/testnet";
import { releaseKey } from "../support/upgradeRelease";

/**
 * The whole path of an upgrade a chain activates at one height: a developer adds a kv op
 * (`append`) to the sources, the release manager builds and signs an app release from
 * that tree with `--activate chain-0@H`, publishes it on one node of a 7-node testnet
 * with 4 validators under a bounded load, and every node swaps between blocks H-1 and H
 * in its running process. Before H the op is refused everywhere; from H it commits, with
 * one state root per height on every node, no acknowledged transaction lost and no
 * process restarted. One follower takes releases only when its operator says so: it
 * halts at H saying which release it needs, and catches up once it is told to take it.
 */

interface Submit {
  id?: string;
  error?: { code: string; message: string };
}

const appendTx = (nonce: string) => ({
  kind: "kv",
  reads: ["greeting"],
  writes: ["greeting"],
  ops: [{ op: "append", key: "greeting", value: " world" }],
  nonce,
});

describe("an upgrade activated at a height of a chain", () => {
  const { dir, net } = useTestnetDir("anode-activation-");

  it("swaps every node between H-1 and H in place: the new op is refused before and commits after, one root per height", async () => {
    const key = releaseKey(dir);
    const env = { ...key.env, ANODE_UPGRADE_HEALTH_WINDOW_MS: "1000" };
    const started = await startChainNet(dir, { n: 7, validators: 4, env });
    // The last node's operator approves releases by hand (upgrade.policy manual).
    const manual = started.nodes[6] as TestnetNodeInfo;
    killPids([manual.pid]);
    await eventually(async () => !alive(manual.pid), 10_000, "node 6 to stop");
    const back = await runCli(["testnet", "up", "--dir", net], {
      env: { ...env, ANODE_UPGRADE_POLICY: "manual" },
      timeoutMs: 120_000,
    });
    expect(back.code, back.stderr + back.stdout).toBe(0);
    const nodes = readTestnetState(net).nodes;
    const pids = nodes.map((n) => n.pid);
    const [first, follower, late] = [0, 5, 6].map((i) => nodes[i] as TestnetNodeInfo) as [
      TestnetNodeInfo,
      TestnetNodeInfo,
      TestnetNodeInfo,
    ];

    // Before: the op does not exist, on a validator and on a follower alike.
    const hello = await nodeApi<Submit>(first, "POST", "/v1/tx", {
      kind: "kv",
      reads: [],
      writes: ["greeting"],
      ops: [{ op: "put", key: "greeting", value: "hello" }],
    });
    expect(hello.id, JSON.stringify(hello)).toBeDefined();
    for (const n of [first, follower]) {
      const refused = await nodeApi<Submit>(n, "POST", "/v1/tx", appendTx(`before-${n.index}`));
      expect(refused.error?.message).toMatch(/must be "put", "delete", "increment" or "cas"/);
    }

    // The release: built from the changed sources, activated a few blocks from now.
    const tree = appendOpTree(join(dir, "tree"));
    const load = putLoad(nodes.slice(0, 6), { everyMs: 100, max: 600 });
    const H = await publishActivation(dir, first, { key, env, from: tree, version: "0.2.0" });

    // Every auto-policy node runs the new code from H on, without a restart.
    for (const n of nodes.slice(0, 6)) {
      await eventually(
        async () => (await chainOf(n)).committedHeight >= H + 2,
        120_000,
        `node ${n.index} to commit past the activation height ${H}`,
      );
      expect((await upgradeOf(n)).running).toBe("0.2.0");
    }

    // The manual node stopped at H, saying why; the operator's apply lets it catch up.
    const halted = await chainOf(late);
    expect(halted.committedHeight).toBe(H - 1);
    expect(halted.halted).toBe(`halted at height ${H}: needs release 0.2.0 (upgrade needed)`);
    const waiting = (await upgradeOf(late)).releases.find((r) => r.version === "0.2.0");
    expect(waiting?.note).toMatch(new RegExp(`chain ${CHAIN} halted at height ${H}`));
    const approved = await runCli(
      ["--config", `${late.dir}/config.json`, "upgrade", "apply", "0.2.0"],
      { env },
    );
    expect(approved.code, approved.stderr).toBe(0);
    await eventually(
      async () => (await chainOf(late)).committedHeight >= H + 2,
      60_000,
      "the manual node to catch up once its operator applied the release",
    );
    expect((await upgradeOf(late)).running).toBe("0.2.0");
    expect(readTestnetState(net).nodes.map((n) => n.pid)).toEqual(pids);
    expect(nodes.map((n) => alive(n.pid))).toEqual(nodes.map(() => true));

    // After: the op commits, and every node sees its effect.
    const sent = await nodeApi<Submit>(follower, "POST", "/v1/tx", appendTx("after"));
    expect(sent.error, JSON.stringify(sent)).toBeUndefined();
    const done = await nodeApi<{ status: { state: string; ok?: boolean } }>(
      follower,
      "GET",
      `/v1/tx/${sent.id}?wait=20000`,
    );
    expect(done.status).toMatchObject({ state: "committed", ok: true });
    for (const n of nodes) {
      await eventually(
        async () =>
          (await nodeApi<{ value?: unknown }>(n, "GET", "/v1/state/greeting")).value ===
          "hello world",
        20_000,
        `node ${n.index} to read "hello world"`,
      );
    }

    // No acknowledged transaction lost across the pause and the swap.
    await load.stop();
    expect(load.acked.length).toBeGreaterThan(20);
    for (const id of load.acked) {
      const s = await nodeApi<{ status: { state: string } }>(
        first,
        "GET",
        `/v1/tx/${id}?wait=20000`,
      );
      expect(s.status.state, `transaction ${id}`).toBe("committed");
    }

    // One state root per height on every node, across the activation: no fork, no gap.
    const top = Math.min(...(await Promise.all(nodes.map(chainOf))).map((c) => c.committedHeight));
    for (let h = 1; h <= top; h++) {
      const roots = await Promise.all(nodes.map((n) => rootAt(n, h)));
      expect(new Set(roots).size, `roots at height ${h}: ${roots.join(" ")}`).toBe(1);
    }
  }, 400_000);
});
