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

type Status = { height: number; committedHeight: number; validator: boolean };
const chainStatus = async (n: AnodeNode) =>
  (await n.router.call({ engine: CONSENSUS }, { type: "status" })) as Status;

async function start(o: NodeOptions): Promise<AnodeNode> {
  const node = await AnodeNode.create(o, { log: nullLogger });
  cleanup(() => node.close());
  return node;
}

/**
 * Five nodes in a line, v0 - v1 - f - v2 - v3, the middle one a follower, consensus
 * messages not gossiped at all: every vote between the two halves crosses the follower
 * by the vote sync alone (direct frames to neighbours), or nothing commits.
 */
async function line(): Promise<NodeOptions[]> {
  const opts = await chainNodeOptions(5, "anode-sync-", cleanup);
  const follower = 2;
  // chainNodeOptions lists every node as a validator, in node order
  const all = opts[0]?.consensus.chains[0]?.validators ?? [];
  const ids = all.map((v) => v.id);
  const validators = all.filter((v) => v.id !== ids[follower]);
  return opts.map((o, i) => {
    const next = opts[i + 1];
    return {
      ...o,
      p2p: {
        ...o.p2p,
        peers: next === undefined ? [] : [{ address: next.p2p.listen, id: ids[i + 1] as string }],
      },
      consensus: {
        ...o.consensus,
        gossipMessages: false,
        chains: [{ chainId: "c0", validators }],
      },
    };
  });
}

describe("consensus vote sync (in process, real websockets)", () => {
  it("four validators in a line commit through a follower between them with no consensus gossip", {
    timeout: 60_000,
  }, async () => {
    const nodes = await Promise.all((await line()).map(start));
    expect((await chainStatus(nodes[2] as AnodeNode)).validator).toBe(false);
    await eventually(
      async () => (await Promise.all(nodes.map(chainStatus))).every((s) => s.committedHeight >= 3),
      30_000,
      "three commits on every node of the line",
    );
    const first = nodes[0] as AnodeNode;
    const [result] = (await first.router.call(
      { engine: "mempool" },
      { type: "submit", txs: [putTx("across", "the-follower")] },
    )) as Array<{ id: string }>;
    await eventually(
      async () => {
        const states = await Promise.all(
          nodes.map(
            async (n) =>
              (
                (await n.router.call(
                  { engine: "mempool" },
                  { type: "status", id: result?.id },
                )) as { state: string }
              ).state,
          ),
        );
        return states.every((s) => s === "committed");
      },
      30_000,
      "the transaction submitted at one end committed on every node",
    );
  });
});
