import { describe, expect, it } from "vitest";
import type { NodeOptions } from "../../src/config";
import { CONSENSUS } from "../../src/engines";
import { nullLogger } from "../../src/logging";
import { AnodeNode } from "../../src/node";
import { useCleanups } from "../support/cleanups";
import { chainNodeOptions } from "../support/inProcessChain";
import { putTx } from "../support/kvTxs";
import { eventually } from "../support/testnet";

const cleanup = useCleanups();

const plan = (n: number) => chainNodeOptions(n, "anode-cons-", cleanup);

async function start(o: NodeOptions): Promise<AnodeNode> {
  const node = await AnodeNode.create(o, { log: nullLogger });
  cleanup(() => node.close());
  return node;
}

type Status = {
  height: number;
  committedHeight: number;
  validator: boolean;
  stats: { decided: number; caughtUp: number };
};
const chainStatus = async (n: AnodeNode) =>
  (await n.router.call({ engine: CONSENSUS }, { type: "status" })) as Status;
const storeHeight = async (n: AnodeNode) => (await chainStatus(n)).committedHeight;

describe("consensus engine (in process, real websockets)", () => {
  it("four validators commit the same blocks; a node that was stopped catches up from its peers", async () => {
    const opts = await plan(4);
    const nodes = await Promise.all(opts.map(start));
    await eventually(
      async () => (await Promise.all(nodes.map(storeHeight))).every((h) => h >= 3),
      20_000,
      "three commits on every node",
    );

    const results = (await nodes[2]?.router.call(
      { engine: "mempool" },
      { type: "submit", txs: [putTx("x", "1"), putTx("y", "2")] },
    )) as Array<{
      id: string;
    }>;
    for (const r of results) {
      await eventually(
        async () =>
          (
            await Promise.all(
              nodes.map(
                async (n) =>
                  (
                    (await n.router.call({ engine: "mempool" }, { type: "status", id: r.id })) as {
                      state: string;
                    }
                  ).state,
              ),
            )
          ).every((s) => s === "committed"),
        20_000,
        `tx ${r.id} committed on every node`,
      );
    }

    // Stop one validator; the other three (more than 2/3) keep committing.
    const stopped = nodes[3] as AnodeNode;
    const at = await storeHeight(stopped);
    await stopped.close();
    const live = nodes.slice(0, 3);
    await eventually(
      async () => (await Promise.all(live.map(storeHeight))).every((h) => h >= at + 5),
      30_000,
      "five more commits without it",
    );

    // Back again: it fetches the commits it missed (certificates checked) and rejoins.
    const again = await start(opts[3] as NodeOptions);
    const target = Math.max(...(await Promise.all(live.map(storeHeight))));
    await eventually(
      async () => (await storeHeight(again)) >= target,
      30_000,
      "the restarted node to catch up",
    );
    const s = await chainStatus(again);
    expect(s.validator).toBe(true);
    expect(s.stats.caughtUp + s.stats.decided).toBeGreaterThan(0);
    const roots = await Promise.all(
      [...live, again].map(
        async (n) =>
          (
            (await n.router.call({ engine: "storage" }, { type: "root", at: target })) as {
              root: string;
            }
          ).root,
      ),
    );
    expect(new Set(roots).size).toBe(1);
  }, 120_000);
});
