import type { BrokerClient, EngineContext, EngineModule } from "../../runtime";
import type { VersionedStore } from "../../storage";
import { partitionLanes, scheduleBlock } from "../../tx";
import { nodeEvent } from "../events";
import { EXECUTOR, MEMPOOL } from "../names";
import type { OrderedBlock } from "../ordering/orderingEngine";
import { commitBlock } from "./commitBlock";
import { splitDuplicates } from "./splitDuplicates";
import type { ChainContext } from "./systemTx";
import type { LaneItem, TxOutcome } from "./txOutcome";
import type { WorkerArgs } from "./workerEngine";

export interface ExecutorArgs {
  store: VersionedStore;
  broker: BrokerClient;
  workers: number;
  /** Starts a temporary worker under the workers' dynamic supervisor. */
  startWorker(args: WorkerArgs): Promise<void>;
  /** Under consensus: the chain, whose validator changes blocks may carry. */
  chain?: ChainContext;
}

interface Running {
  block: OrderedBlock;
  outcomes: TxOutcome[];
  waitingFor: number;
}

interface ExecutorState extends ExecutorArgs {
  running: Running | undefined;
  backlog: OrderedBlock[];
  blocks: number;
}

export type ExecutorCast =
  | { type: "execute"; block: OrderedBlock }
  | { type: "workerDone"; height: number; outcomes: TxOutcome[] }
  | { type: "workerCrashed"; height: number; error: string };

/**
 * Runs ordered blocks: splits each into conflict-free lanes, hands the lanes to temporary
 * workers that run in parallel, then commits the block in one atomic batch and reports
 * the outcome. Blocks run one at a time, in height order.
 */
export const executorEngine: EngineModule<ExecutorState, ExecutorArgs> = {
  name: EXECUTOR,
  version: "1.0.0",
  init: (args) => ({ ...args, running: undefined, backlog: [], blocks: 0 }),
  async handleCast(msg, state, ctx) {
    const m = msg as ExecutorCast;
    switch (m.type) {
      case "execute":
        state.backlog.push(m.block);
        if (!state.running) await startNext(state, ctx);
        return state;
      case "workerDone": {
        const running = state.running;
        if (!running || running.block.height !== m.height) return state;
        running.outcomes.push(...m.outcomes);
        running.waitingFor--;
        if (running.waitingFor === 0) await finish(state, running, ctx);
        return state;
      }
      case "workerCrashed":
        // Without that worker's outcomes the block cannot commit; the tx subtree restarts
        // and replays the block from the log.
        throw new Error(`executor: a worker of block ${m.height} crashed: ${m.error}`);
      default:
        throw new Error(`executor: unexpected cast ${JSON.stringify(msg)}`);
    }
  },
  handleCall(_msg, _from, state) {
    return {
      reply: {
        blocks: state.blocks,
        running: state.running?.block.height,
        backlog: state.backlog.length,
      },
      state,
    };
  },
};

async function startNext(state: ExecutorState, ctx: EngineContext): Promise<void> {
  const block = state.backlog.shift();
  if (!block) return;
  const { runnable, duplicates } = await splitDuplicates(state.store, block.txs);
  const { lanes } = scheduleBlock(runnable.map((t) => t.tx));
  const bins = partitionLanes(lanes, state.workers);
  const running: Running = { block, outcomes: duplicates, waitingFor: bins.length };
  state.running = running;
  if (bins.length === 0) {
    await finish(state, running, ctx);
    return;
  }
  for (const bin of bins) {
    const items: LaneItem[][] = bin.map((lane) => lane.map((i) => runnable[i] as LaneItem));
    await state.startWorker({
      store: state.store,
      height: block.height,
      lanes: items,
      replyTo: ctx.name,
      ...(state.chain === undefined ? {} : { chain: state.chain }),
    });
  }
}

async function finish(state: ExecutorState, running: Running, ctx: EngineContext): Promise<void> {
  const { block, outcomes } = running;
  outcomes.sort((a, b) => a.index - b.index);
  // Duplicates keep their original status: nothing to report for them.
  const applied = outcomes.filter((o) => !o.duplicate);
  ctx.cast(
    { engine: MEMPOOL },
    { type: "executed", height: block.height, outcomes: applied.map(statusOf) },
  );
  for (const o of applied) {
    state.broker.publish(nodeEvent("tx.executed", txBody(block.height, o), block.time));
  }
  const checkpoint = await commitBlock(state.store, block, outcomes);
  state.blocks++;
  state.running = undefined;
  const now = Date.now();
  for (const o of applied)
    state.broker.publish(nodeEvent("tx.committed", txBody(block.height, o), now));
  state.broker.publish(
    nodeEvent(
      "block.committed",
      { height: block.height, root: checkpoint.root, txs: applied.length, time: block.time },
      now,
    ),
  );
  ctx.cast(
    { engine: MEMPOOL },
    // Duplicates are listed too, flagged, so the mempool forgets their second ordering.
    {
      type: "committed",
      height: block.height,
      outcomes: outcomes.map((o) =>
        o.duplicate ? { ...statusOf(o), duplicate: true } : statusOf(o),
      ),
    },
  );
  if (state.backlog.length > 0) await startNext(state, ctx);
}

function txBody(height: number, o: TxOutcome) {
  return {
    id: o.id,
    height,
    index: o.index,
    ok: o.ok,
    ...(o.error === undefined ? {} : { error: o.error }),
  };
}

function statusOf(o: TxOutcome) {
  return {
    id: o.id,
    index: o.index,
    ok: o.ok,
    ...(o.error === undefined ? {} : { error: o.error }),
  };
}
