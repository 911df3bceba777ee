import {
  addPeer,
  heldMessage,
  messageKey,
  noteHeld,
  onFrame,
  ownView,
  planFrame,
  removePeer,
  type Signed,
  type SyncFrame,
  type SyncOptions,
} from "../../consensus";
import type { EngineContext } from "../../runtime";
import { CONSENSUS, TRANSPORT } from "../names";
import type { ChainState } from "./chainState";

/**
 * The engine's side of the vote sync (src/consensus/voteSync): frames go to each
 * neighbour as direct casts to its engine for this chain, carrying only what that
 * neighbour lacks; followers run it too, so a node between two validators relays.
 */

/** Changes are sent this long after the first one, so one frame carries several. */
export const SYNC_FLUSH_MS = 5;
/**
 * The status goes again this often with no change (and the neighbour list is read), so
 * a lost frame shows; nothing else is sent on a timer.
 */
export const SYNC_REFRESH_MS = 1000;
const SYNC: SyncOptions = {
  resendMs: 1000,
  statusRefreshMs: SYNC_REFRESH_MS,
  // A frame stays well under the 1 MiB direct frame: two blocks of 200 KiB and the votes.
  maxMessages: 128,
  maxProposals: 2,
};

export interface SyncCast {
  readonly type: "sync";
  readonly chainId: string;
  readonly from: string;
  readonly frame: SyncFrame;
}

export function parseSyncCast(msg: unknown): SyncCast | undefined {
  const m = msg as Partial<SyncCast> | null;
  if (typeof m !== "object" || m === null || m.type !== "sync") return undefined;
  if (typeof m.chainId !== "string" || typeof m.from !== "string") return undefined;
  if (typeof m.frame !== "object" || m.frame === null) return undefined;
  return m as SyncCast;
}

export function scheduleFlush(state: ChainState, ctx: EngineContext): void {
  if (state.flushing || state.halted !== undefined) return;
  state.flushing = true;
  ctx.sendAfter(SYNC_FLUSH_MS, { type: "syncFlush" });
}

/** Asks the transport for the neighbours; the answer comes back as a `syncPeers` info. */
export function readNeighbours(ctx: EngineContext): void {
  ctx.call({ engine: TRANSPORT }, { type: "peers" }, 5000).then(
    (peers) => {
      const ids = Array.isArray(peers)
        ? peers.flatMap((p) => (typeof p?.id === "string" ? [p.id as string] : []))
        : [];
      ctx.info({ type: "syncPeers", ids });
    },
    () => undefined,
  );
}

/** A neighbour that appeared is synced from nothing; one that left is forgotten. */
export function onNeighbours(state: ChainState, ctx: EngineContext, ids: readonly string[]): void {
  const now = new Set(ids);
  for (const id of state.neighbours) if (!now.has(id)) removePeer(state.sync, id);
  let added = false;
  for (const id of now) {
    if (!state.sync.peers.has(id)) {
      addPeer(state.sync, id);
      added = true;
    }
  }
  state.neighbours = now;
  if (added) scheduleFlush(state, ctx);
}

/** A message this node now holds (its own, or verified from a peer): neighbours hear of it. */
export function noteMessage(state: ChainState, signed: Signed, from: string | undefined): void {
  const height = state.core.height;
  if (state.synced.height !== height) state.synced = { height, keys: new Set() };
  if (signed.message.height !== height) return;
  const key = messageKey(signed);
  if (state.synced.keys.has(key)) return;
  state.synced.keys.add(key);
  const held = heldMessage(signed, state.core.config.validators);
  // `from` is the neighbour that gave it to us; gossip names its relayer the same way.
  const source = from !== undefined && state.sync.peers.has(from) ? from : undefined;
  noteHeld(state.sync, held, source, Date.now());
}

/** Already verified and noted: a duplicate from another neighbour costs no signature check. */
export function isNoted(state: ChainState, signed: Signed): boolean {
  const m = (signed as { message?: unknown } | null)?.message as Signed["message"] | undefined;
  if (typeof m !== "object" || m === null) return false;
  return state.synced.height === m.height && state.synced.keys.has(messageKey(signed));
}

/** Sends each neighbour its frame; frames cut by the bounds go on at the next flush. */
export function flush(state: ChainState, ctx: EngineContext): void {
  state.flushing = false;
  if (state.halted !== undefined) return;
  const now = Date.now();
  const own = ownView(state.core);
  const { chainId } = state.args.chain;
  let more = false;
  for (const id of state.sync.peers.keys()) {
    const frame = planFrame(state.sync, id, own, { ...SYNC, now });
    if (frame === undefined) continue;
    if ((frame.messages?.length ?? 0) > 0) more = true;
    const cast: SyncCast = { type: "sync", chainId, from: state.args.identity.id, frame };
    ctx.cast({ node: id, engine: `${CONSENSUS}@${chainId}` }, cast);
  }
  if (more) scheduleFlush(state, ctx);
}

/**
 * A frame from a neighbour. Its sender is the one it names, accepted only if that is a
 * neighbour now (a direct cast does not carry the link's identity, see docs). Returns
 * the messages for the caller to verify and feed in like gossip.
 */
export function onSyncCast(state: ChainState, m: SyncCast): readonly Signed[] {
  if (m.chainId !== state.args.chain.chainId || !state.neighbours.has(m.from)) return [];
  onFrame(state.sync, m.from, m.frame, { now: Date.now(), resendMs: SYNC.resendMs });
  const messages = m.frame.messages;
  return Array.isArray(messages) ? messages.slice(0, SYNC.maxMessages) : [];
}
