import type { EngineModule } from "../../runtime";
import { ROUTER } from "../names";

interface RouterState {
  started: number;
  pings: number;
  casts: number;
}

/**
 * The router's engine: the one place other nodes may always reach (ping, counted casts),
 * so connectivity and point-to-point throughput can be checked without touching state.
 * Routing itself is the Router mailer every engine sends through.
 */
export const routerEngine: EngineModule<RouterState, void> = {
  name: ROUTER,
  version: "1.0.0",
  init: () => ({ started: Date.now(), pings: 0, casts: 0 }),
  handleCall(msg, _from, state) {
    // Reachable from other nodes: answers a ping (liveness and round-trip checks) and
    // what it has counted; anything else gets an empty answer, never a crash.
    if ((msg as { type?: unknown })?.type === "ping") {
      state.pings++;
      return { reply: { pong: true, started: state.started }, state };
    }
    return { reply: { started: state.started, pings: state.pings, casts: state.casts }, state };
  },
  handleCast(_msg, state) {
    state.casts++;
    return state;
  },
};
