import type { BrokerClient, EngineContext, EngineModule } from "../../runtime";
import type { KvTx } from "../../tx";
import { decodeBlock } from "../consensus/block";
import { decodeBlockTxs } from "../consensus/decodeBlockTxs";
import { nodeEvent } from "../events";
import { EXECUTOR, LOGGER, MEMPOOL, ORDERING } from "../names";

export interface OrderedTx {
  id: string;
  tx: KvTx;
}

/** A block decided by consensus, as kept beside its state: the block and its proof. */
export interface CommitRecord {
  block: Uint8Array;
  certificate: unknown;
}

/** A block as ordered: its height, time and transactions in execution order. */
export interface OrderedBlock {
  height: number;
  time: number;
  txs: OrderedTx[];
  /** Seq of the last log entry a checkpoint at this block may skip on replay. */
  replayAfter: number;
  /** Under consensus: the decided block and its commit certificate, stored with the state. */
  commit?: CommitRecord;
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

export type OrderingCast =
  | { type: "order"; txs: OrderedTx[]; pendingFromSeq: number | undefined }
  | { type: "decided"; height: number; block: Uint8Array; certificate: unknown };

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
    if (m.type === "decided") return orderDecided(m, state, ctx);
    if (m.type !== "order")
      throw new Error(`ordering: unexpected cast ${(m as { type: string }).type}`);
    const height = state.height + 1;
    const time = Date.now();
    const ids = m.txs.map((t) => t.id);
    const seq = (await ctx.call(
      { engine: LOGGER },
      { type: "append", entries: [{ type: "order", height, time, ids }] },
    )) as number;
    // Replay must start before the oldest transaction still waiting in the mempool.
    const replayAfter = m.pendingFromSeq === undefined ? seq : Math.min(seq, m.pendingFromSeq - 1);
    dispatch({ height, time, txs: m.txs, replayAfter }, state, ctx);
    return { ...state, height };
  },
  handleCall(_msg, _from, state) {
    return { reply: { height: state.height }, state };
  },
};

/** Hands an ordered block to the executor and tells the mempool where its transactions went. */
function dispatch(block: OrderedBlock, state: OrderingState, ctx: EngineContext): void {
  const ids = block.txs.map((t) => t.id);
  ctx.cast({ engine: EXECUTOR }, { type: "execute", block });
  ctx.cast({ engine: MEMPOOL }, { type: "ordered", height: block.height, ids });
  for (let i = 0; i < ids.length; i++) {
    state.broker.publish(
      nodeEvent("tx.ordered", { id: ids[i] as string, height: block.height, index: i }, block.time),
    );
  }
}

/**
 * A block decided by consensus. The decision is logged with the whole block (other
 * nodes' transactions may never have reached this node's log), so replay can re-execute
 * it; heights already ordered (a duplicate delivery) are ignored.
 */
async function orderDecided(
  m: Extract<OrderingCast, { type: "decided" }>,
  state: OrderingState,
  ctx: EngineContext,
): Promise<OrderingState> {
  if (m.height <= state.height) return state;
  if (m.height !== state.height + 1) {
    throw new Error(`ordering: decided block ${m.height} arrived while at height ${state.height}`);
  }
  const block = decodeBlock(m.block);
  const txs = decodeBlockTxs(block.txs);
  const oldest = (await ctx.call({ engine: MEMPOOL }, { type: "oldestPending" })) as number | null;
  const seq = (await ctx.call(
    { engine: LOGGER },
    {
      type: "append",
      entries: [{ type: "decide", height: m.height, block: m.block, certificate: m.certificate }],
    },
  )) as number;
  const replayAfter = oldest === null ? seq : Math.min(seq, oldest - 1);
  dispatch(
    {
      height: m.height,
      time: block.time,
      txs,
      replayAfter,
      commit: { block: m.block, certificate: m.certificate },
    },
    state,
    ctx,
  );
  return { ...state, height: m.height };
}
