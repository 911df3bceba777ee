import { join } from "node:path";
import { expect, it } from "vitest";
import {
  chainOf,
  publishActivation,
  startChainNet,
  upgradeOf,
  watchHeights,
} from "../support/activationNet";
import { appendOpTree } from "../support/appendOp";
import { runCli } from "../support/nodeProcess";
import { eventually, type TestnetNodeInfo, useTestnetDir } from "../support/testnet";
import { releaseKey } from "../support/upgradeRelease";

/**
 * Issue 12, must-show 6: what an upgrade at a height costs the chain. On a 7-node testnet
 * with 4 validators, the longest gap between two blocks across an activation-at-height
 * hot swap, and across what a Cosmovisor-style upgrade does instead (every node stops at
 * the height and starts again on the new code), each ÷ the chain's own block interval
 * measured in the same run.
 */
const { dir, net } = useTestnetDir("anode-bench-activation-");

it("an activation-at-height swap pauses the chain far less than a restart on the new code", async () => {
  const key = releaseKey(dir);
  const env = { ...key.env, ANODE_UPGRADE_HEALTH_WINDOW_MS: "1000" };
  const { nodes } = await startChainNet(dir, { n: 7, validators: 4, env });
  const first = nodes[0] as TestnetNodeInfo;
  const tree = appendOpTree(join(dir, "tree"));
  const watch = watchHeights(first);
  const H = await publishActivation(dir, first, { key, env, from: tree, version: "0.2.0" });
  for (const n of nodes) {
    await eventually(
      async () => (await chainOf(n)).committedHeight >= H + 4,
      120_000,
      `node ${n.index} past ${H}`,
    );
    await eventually(
      async () =>
        (await upgradeOf(n)).releases.some((r) => r.version === "0.2.0" && r.status === "applied"),
      30_000,
      `0.2.0 permanent on node ${n.index}`,
    );
  }
  const interval = watch.medianGap(H - 8, H - 1);
  const swapGap = watch.gap(H) as number;

  // Cosmovisor's way: every node stops at a height and starts again on the new code.
  const before = (await chainOf(first)).committedHeight;
  const down = await runCli(["testnet", "down", "--dir", net], { timeoutMs: 60_000 });
  expect(down.code, down.stderr).toBe(0);
  const up = await runCli(["testnet", "up", "--dir", net], { env, timeoutMs: 120_000 });
  expect(up.code, up.stderr + up.stdout).toBe(0);
  await eventually(
    async () => (await chainOf(first)).committedHeight > before + 2,
    120_000,
    "the restarted chain to commit again",
  );
  await watch.stop();
  // The pause lands between one of these heights and the next (a block may commit
  // while the nodes are told to stop).
  const restartGap = Math.max(...[0, 1, 2, 3].map((k) => watch.gap(before + k) ?? 0));
  console.log(
    `activation: block interval ${interval.toFixed(0)} ms; longest gap across the swap at height ${H} ${swapGap.toFixed(0)} ms (${(swapGap / interval).toFixed(2)} intervals); across a stop and start on the new code ${restartGap.toFixed(0)} ms (${(restartGap / interval).toFixed(2)} intervals); swap ÷ restart ${(swapGap / restartGap).toFixed(3)}`,
  );
  expect(swapGap).toBeGreaterThan(0);
  expect(restartGap).toBeGreaterThan(0);
});
