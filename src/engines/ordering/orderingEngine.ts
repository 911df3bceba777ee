import type { BrokerClient, EngineModule } from "../../runtime";
import type { KvTx } from "../../tx";
import { nodeEvent } from "../events";
import { EXECUTOR, LOGGER, MEMPOOL, ORDERING } from "../names";

export interface OrderedTx {
  id: string;
  tx: KvTx;
}

/** A block as ordered: its height, time and transactions in execution order. */
export interface OrderedBlock {
  height: number;
  time: number;
  txs: OrderedTx[];
  /** Seq of the last log entry a checkpoint at this block may skip on replay. */
  replayAfter: number;
}

export interface OrderingArgs {
  /** Last height already ordered (the committed height after recovery). */
  height: number;
  broker: BrokerClient;
}

interface OrderingState {
  height: number;
  broker: BrokerClient;
}

export type OrderingCast = { type: "order"; txs: OrderedTx[]; pendingFromSeq: number | undefined };

/**
 * Gives each transaction its position: the next height, and its index in the block. The
 * order is logged (it is the "execute" input replay needs) before the block goes to the
 * executor.
 */
export const orderingEngine: EngineModule<OrderingState, OrderingArgs> = {
  name: ORDERING,
  version: "1.0.0",
  init: ({ height, broker }) => ({ height, broker }),
  async handleCast(msg, state, ctx) {
    const m = msg as OrderingCast;
    if (m.type !== "order") throw new Error(`ordering: unexpected cast ${m.type}`);
    const height = state.height + 1;
    const time = Date.now();
    const ids = m.txs.map((t) => t.id);
    const seq = (await ctx.call(
      { engine: LOGGER },
      { type: "append", entries: [{ type: "order", height, time, ids }] },
    )) as number;
    // Replay must start before the oldest transaction still waiting in the mempool.
    const replayAfter = m.pendingFromSeq === undefined ? seq : Math.min(seq, m.pendingFromSeq - 1);
    const block: OrderedBlock = { height, time, txs: m.txs, replayAfter };
    ctx.cast({ engine: EXECUTOR }, { type: "execute", block });
    ctx.cast({ engine: MEMPOOL }, { type: "ordered", height, ids });
    for (let i = 0; i < ids.length; i++) {
      state.broker.publish(
        nodeEvent("tx.ordered", { id: ids[i] as string, height, index: i }, time),
      );
    }
    return { ...state, height };
  },
  handleCall(_msg, _from, state) {
    return { reply: { height: state.height }, state };
  },
};
