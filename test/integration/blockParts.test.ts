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

type TxStatus = { state: string; height?: number };

async function start(o: NodeOptions): Promise<AnodeNode> {
  const node = await AnodeNode.create(o, { log: nullLogger });
  cleanup(() => node.close());
  return node;
}

/** Six transactions of 60 000 bytes each: one block of them is over 350 KiB. */
const BIG = Array.from({ length: 6 }, (_, i) => putTx(`big-${i}`, "x".repeat(60_000)));

describe("proposals in block parts (in process, real websockets)", () => {
  it("a block bigger than one 256 KiB gossip frame commits on four validators, with consensus gossip off", {
    timeout: 60_000,
  }, async () => {
    const opts = (await chainNodeOptions(4, "anode-parts-", cleanup)).map((o) => ({
      ...o,
      consensus: { ...o.consensus, gossipMessages: false },
    }));
    const nodes = await Promise.all(opts.map(start));
    const first = nodes[0] as AnodeNode;
    await eventually(
      async () =>
        (
          await Promise.all(
            nodes.map(
              async (n) =>
                (
                  (await n.router.call({ engine: CONSENSUS }, { type: "status" })) as {
                    committedHeight: number;
                  }
                ).committedHeight,
            ),
          )
        ).every((h) => h >= 2),
      20_000,
      "two commits on every node",
    );
    const results = (await first.router.call(
      { engine: "mempool" },
      { type: "submit", txs: BIG },
    )) as Array<{ id: string }>;
    expect(results).toHaveLength(BIG.length);
    const statuses = async (n: AnodeNode) =>
      Promise.all(
        results.map(
          async (r) =>
            (await n.router.call({ engine: "mempool" }, { type: "status", id: r.id })) as TxStatus,
        ),
      );
    await eventually(
      async () =>
        (await Promise.all(nodes.map(statuses))).every((list) =>
          list.every((s) => s.state === "committed"),
        ),
      30_000,
      "the six big transactions committed on every node",
    );
    // One proposer reaped them all: one block holds 360 000 bytes of values.
    const heights = new Set((await statuses(nodes[3] as AnodeNode)).map((s) => s.height));
    expect([...heights]).toHaveLength(1);
  });
});
