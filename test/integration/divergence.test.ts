import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rootAt, startChainNet, upgradeOf } from "../support/activationNet";
import { runCli } from "../support/nodeProcess";
import { bumpVersions, copySourceTree, editSource } from "../support/sourceTree";
import {
  alive,
  eventually,
  killPids,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
  useTestnetDir,
} from "../support/testnet";
import { buildRelease, releaseKey } from "../support/upgradeRelease";

/**
 * A deliberately non-deterministic release (its `put` stores a random number) on one
 * validator of four: the one whose operator takes releases automatically while the
 * others wait for `upgrade apply`. Its state differs from the first put on, and the
 * blocks say so: the others never vote for its proposals, it halts with an alarm naming
 * the height instead of applying blocks that do not extend its own state, and the chain
 * goes on with one root per height on every other node.
 */
interface Chain {
  committedHeight: number;
  halted?: string;
  alarm?: string;
  stats: { diverged: number };
}
const chain = (n: TestnetNodeInfo) => nodeApi<Chain>(n, "GET", "/v1/chain");

describe("a non-deterministic release on one validator", () => {
  const { dir, net } = useTestnetDir("anode-divergence-");

  it("halts that validator with an alarm naming the height; the chain goes on without a conflicting block", async () => {
    const key = releaseKey(dir);
    const env = { ...key.env, ANODE_UPGRADE_HEALTH_WINDOW_MS: "1000" };
    await startChainNet(dir, {
      n: 4,
      validators: 4,
      env: { ...env, ANODE_UPGRADE_POLICY: "manual" },
    });
    // Validator 3 alone takes releases as they come.
    const odd = readTestnetState(net).nodes[3] as TestnetNodeInfo;
    killPids([odd.pid]);
    await eventually(async () => !alive(odd.pid), 10_000, "validator 3 to stop");
    const back = await runCli(["testnet", "up", "--dir", net], { env, timeoutMs: 120_000 });
    expect(back.code, back.stderr + back.stdout).toBe(0);
    const nodes = readTestnetState(net).nodes;
    const bad = nodes[3] as TestnetNodeInfo;
    const good = nodes.slice(0, 3);

    const tree = copySourceTree(join(dir, "tree"));
    editSource(tree, [
      {
        file: "src/tx/executeKv.ts",
        find: `    case "put":
      return { value: op.value };`,
        replace: `    case "put":
      return { value: typeof op.value === "number" ? op.value + Math.random() : op.value };`,
      },
    ]);
    bumpVersions(
      tree,
      ["src/engines/executor/executorEngine.ts", "src/engines/executor/workerEngine.ts"],
      "random",
    );
    const manifest = await buildRelease(dir, {
      version: "0.2.0",
      fixture: "app",
      key,
      from: tree,
    });
    const published = await runCli(
      ["--config", `${bad.dir}/config.json`, "release", "publish", manifest],
      { env },
    );
    expect(published.code, published.stderr).toBe(0);
    await eventually(
      async () => (await upgradeOf(bad)).running === "0.2.0",
      60_000,
      "validator 3 to run the non-deterministic release",
    );
    for (const n of good) expect((await upgradeOf(n)).running).not.toBe("0.2.0");

    const sent = await nodeApi<{ id?: string }>(good[0] as TestnetNodeInfo, "POST", "/v1/tx", {
      kind: "kv",
      reads: [],
      writes: ["n"],
      ops: [{ op: "put", key: "n", value: 1 }],
    });
    expect(sent.id).toBeDefined();
    await eventually(
      async () => (await chain(bad)).halted !== undefined,
      30_000,
      "validator 3 to halt",
    );
    const s = await chain(bad);
    const at = Number(/diverged at height (\d+)/.exec(s.halted ?? "")?.[1]);
    expect(s.halted, s.halted).toMatch(/chain-0 diverged at height \d+/);
    expect(s.alarm).toBeDefined();
    expect(s.stats.diverged).toBeGreaterThan(0);
    expect(alive(bad.pid)).toBe(true);
    // It applied nothing past the block it could not follow.
    expect(s.committedHeight).toBe(at - 1);

    // The others go on, with one root per height; the halted one agrees up to the block
    // its own code computed differently, and commits nothing after it.
    await eventually(
      async () => (await Promise.all(good.map(chain))).every((c) => c.committedHeight >= at + 3),
      30_000,
      "the three deterministic validators to go on",
    );
    expect((await chain(bad)).committedHeight).toBe(at - 1);
    for (let h = 1; h <= at + 3; h++) {
      const roots = new Set(await Promise.all(good.map((n) => rootAt(n, h))));
      expect(roots.size, `roots at height ${h}`).toBe(1);
      if (h < at - 1) expect(await rootAt(bad, h)).toBe([...roots][0]);
    }
    expect(await rootAt(bad, at - 1)).not.toBe(await rootAt(good[0] as TestnetNodeInfo, at - 1));
  }, 300_000);
});
