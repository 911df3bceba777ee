import type { EngineModule } from "../../runtime";
import type { VersionedStore } from "../../storage";
import { WORKER } from "../names";
import { runLanes } from "./runLane";
import type { ChainContext } from "./systemTx";
import type { LaneItem } from "./txOutcome";

export interface WorkerArgs {
  store: VersionedStore;
  height: number;
  lanes: LaneItem[][];
  replyTo: string;
  /** The chain of the block, for validator changes; absent without consensus. */
  chain?: ChainContext;
}

/**
 * A temporary worker: runs its lanes (concurrently, since lanes never share a key), hands
 * the outcomes to the executor and stops.
 */
export const workerEngine: EngineModule<WorkerArgs, WorkerArgs> = {
  name: WORKER,
  version: "1.1.0",
  init(args, ctx) {
    ctx.info({ type: "run" });
    return args;
  },
  async handleInfo(msg, state, ctx) {
    if ((msg as { type?: string }).type !== "run") return state;
    const outcomes = await runLanes(state.store, state.height, state.lanes, state.chain);
    ctx.cast({ engine: state.replyTo }, { type: "workerDone", height: state.height, outcomes });
    ctx.stop("normal");
    return state;
  },
};
