import type { EngineContext } from "../../runtime";
import { commitAuxKey, decodeCommitRecord } from "../executor/blockRecord";
import { blockId, GENESIS_PARENT } from "./block";
import type { ChainLink } from "./chainLink";
import type { ChainState } from "./chainState";

/**
 * What a block of `height` must name on this node, read in one tick: only once the store
 * has committed height - 1 (and before it can commit more, which waits for this block).
 * Undefined until then, or while that height's id is read back after a restart.
 */
export function ownLink(
  state: ChainState,
  ctx: EngineContext,
  height: number,
): ChainLink | undefined {
  const store = state.args.store;
  if (store.height !== height - 1) return undefined;
  const parent = height === 1 ? GENESIS_PARENT : state.ids.get(height - 1);
  if (parent === undefined) {
    loadId(state, ctx, height - 1);
    return undefined;
  }
  return { parent, stateRoot: store.root };
}

/** After a restart the last decided id is not in memory: it is in the store's commit record. */
export function loadId(state: ChainState, ctx: EngineContext, height: number): void {
  if (state.loadingId === height) return;
  state.loadingId = height;
  state.args.store.getAux(commitAuxKey(height)).then(
    (bytes) =>
      ctx.info({
        type: "idLoaded",
        height,
        id: bytes ? blockId(decodeCommitRecord(bytes).block) : null,
      }),
    () => ctx.info({ type: "idLoaded", height, id: null }),
  );
}
