import type { EngineModule } from "../../runtime";
import { ROUTER } from "../names";

interface RouterState {
  started: number;
}

/**
 * The node's address book. Messages to a local engine go straight through the registry;
 * this engine answers who the local node is, and is where remote routes will live once
 * nodes have peers.
 */
export const routerEngine: EngineModule<RouterState, void> = {
  name: ROUTER,
  version: "1.0.0",
  init: () => ({ started: Date.now() }),
  handleCall(_msg, _from, state) {
    return { reply: { local: true, started: state.started }, state };
  },
};
