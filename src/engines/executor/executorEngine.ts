import type { BrokerClient, EngineContext, EngineModule } from "../../runtime";
import type { VersionedStore } from "../../storage";
import { partitionLanes, scheduleBlock } from "../../tx";
import { nodeEvent } from "../events";
import { EXECUTOR, MEMPOOL } from "../names";
import type { OrderedBlock } from "../ordering/orderingEngine";
import { commitBlock } from "./commitBlock";
import type { LaneItem, TxOutcome } from "./txOutcome";
import type { WorkerArgs } from "./workerEngine";

export interface ExecutorArgs {
  store: VersionedStore;
  broker: BrokerClient;
  workers: number;
  /** Starts a temporary worker under the workers' dynamic supervisor. */
  startWorker(args: WorkerArgs): Promise<void>;
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
  const { lanes } = scheduleBlock(block.txs.map((t) => t.tx));
  const bins = partitionLanes(lanes, state.workers);
  const running: Running = { block, outcomes: [], waitingFor: bins.length };
  state.running = running;
  if (bins.length === 0) {
    await finish(state, running, ctx);
    return;
  }
  for (const bin of bins) {
    const items: LaneItem[][] = bin.map((lane) =>
      lane.map((index) => {
        const t = block.txs[index] as OrderedBlock["txs"][number];
        return { index, id: t.id, tx: t.tx };
      }),
    );
    await state.startWorker({
      store: state.store,
      height: block.height,
      lanes: items,
      replyTo: ctx.name,
    });
  }
}

async function finish(state: ExecutorState, running: Running, ctx: EngineContext): Promise<void> {
  const { block, outcomes } = running;
  outcomes.sort((a, b) => a.index - b.index);
  ctx.cast(
    { engine: MEMPOOL },
    { type: "executed", height: block.height, outcomes: outcomes.map(statusOf) },
  );
  for (const o of outcomes) {
    state.broker.publish(nodeEvent("tx.executed", txBody(block.height, o), block.time));
  }
  const checkpoint = await commitBlock(state.store, block, outcomes);
  state.blocks++;
  state.running = undefined;
  const now = Date.now();
  for (const o of outcomes)
    state.broker.publish(nodeEvent("tx.committed", txBody(block.height, o), now));
  state.broker.publish(
    nodeEvent(
      "block.committed",
      { height: block.height, root: checkpoint.root, txs: outcomes.length, time: block.time },
      now,
    ),
  );
  ctx.cast(
    { engine: MEMPOOL },
    { type: "committed", height: block.height, outcomes: outcomes.map(statusOf) },
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
