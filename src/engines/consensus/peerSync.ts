import {
  addPeer,
  heldMessage,
  messageKey,
  noteHeld,
  onFrame,
  ownView,
  type Proposal,
  planFrame,
  removePeer,
  type Signed,
  type SyncFrame,
  type SyncOptions,
} from "../../consensus";
import type { EngineContext } from "../../runtime";
import { CONSENSUS, TRANSPORT } from "../names";
import {
  addPart,
  assemble,
  type BlockPart,
  createPartSet,
  type PartsHeader,
  splitBlock,
  WHOLE_BLOCK_BYTES,
} from "./blockParts";
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
  /** Parts of blocks whose proposals went with a header in place of the block. */
  readonly parts?: readonly BlockPart[];
}

/** Parts per frame: 4 × 64 KiB, with the votes, under the 1 MiB direct frame. */
const PARTS_PER_FRAME = 4;
/** Blocks being assembled at once (per neighbour and value): a height's proposals and a few more. */
const MAX_BLOCKS_IN_PARTS = 16;
/** Each block is split once, however many neighbours it goes to. */
const splits = new WeakMap<Uint8Array, { header: PartsHeader; parts: BlockPart[] }>();

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
    const planned = planFrame(state.sync, id, own, { ...SYNC, now });
    const queue = state.partsOut.get(id) ?? [];
    const frame = planned === undefined ? undefined : inParts(planned, queue);
    const parts = queue.splice(0, PARTS_PER_FRAME);
    if (queue.length > 0) state.partsOut.set(id, queue);
    else state.partsOut.delete(id);
    if (frame === undefined && parts.length === 0) continue;
    if ((frame?.messages?.length ?? 0) > 0 || queue.length > 0) more = true;
    const cast: SyncCast = {
      type: "sync",
      chainId,
      from: state.args.identity.id,
      frame: frame ?? {},
      ...(parts.length > 0 ? { parts } : {}),
    };
    ctx.cast({ node: id, engine: `${CONSENSUS}@${chainId}` }, cast);
  }
  for (const id of state.partsOut.keys()) if (!state.sync.peers.has(id)) state.partsOut.delete(id);
  if (more) scheduleFlush(state, ctx);
}

/** Proposals of big blocks go with their parts' hashes; the parts join the neighbour's queue. */
function inParts(frame: SyncFrame, queue: BlockPart[]): SyncFrame {
  const messages = frame.messages;
  if (messages === undefined) return frame;
  return {
    ...frame,
    messages: messages.map((signed) => {
      const m = signed.message;
      if (m.type !== "proposal") return signed;
      const block = m.value.block;
      if (!(block instanceof Uint8Array) || block.length <= WHOLE_BLOCK_BYTES) return signed;
      let split = splits.get(block);
      if (split === undefined) {
        split = splitBlock(m.value.id, block);
        splits.set(block, split);
      }
      for (const part of split.parts)
        if (!queue.some((q) => q.valueId === part.valueId && q.index === part.index))
          queue.push(part);
      // On the wire only: the header stands where the block was (the core never sees it).
      const value = { id: m.value.id, parts: split.header } as unknown as Proposal["value"];
      return { ...signed, message: { ...m, value } };
    }),
  };
}

/**
 * A frame from a neighbour. Its sender is the one it names, accepted only if that is a
 * neighbour now (a direct cast does not carry the link's identity, see docs). Returns
 * the messages for the caller to verify and feed in like gossip.
 */
export function onSyncCast(state: ChainState, m: SyncCast): readonly Signed[] {
  if (m.chainId !== state.args.chain.chainId || !state.neighbours.has(m.from)) return [];
  onFrame(state.sync, m.from, m.frame, { now: Date.now(), resendMs: SYNC.resendMs });
  const messages = Array.isArray(m.frame.messages)
    ? m.frame.messages.slice(0, SYNC.maxMessages)
    : [];
  const whole: Signed[] = [];
  for (const signed of messages) {
    const header = (signed?.message as { value?: { parts?: unknown; block?: unknown } } | undefined)
      ?.value;
    if (
      signed?.message?.type === "proposal" &&
      header?.block === undefined &&
      header?.parts !== undefined
    ) {
      if (!isNoted(state, signed)) expectParts(state, m.from, signed, header.parts);
    } else whole.push(signed);
  }
  const parts = Array.isArray(m.parts) ? m.parts.slice(0, PARTS_PER_FRAME) : [];
  for (const part of parts) {
    const key = `${m.from}/${part?.valueId}`;
    const waiting = state.partsIn.get(key);
    if (waiting === undefined) continue;
    if (addPart(waiting.set, part.index, part.bytes) === "bad") {
      state.partsIn.delete(key);
      state.stats.rejected++;
      continue;
    }
    const block = assemble(waiting.set);
    if (block === undefined) continue;
    state.partsIn.delete(key);
    if (block === "bad") {
      state.stats.rejected++;
      continue;
    }
    const p = waiting.signed.message as Proposal;
    whole.push({ ...waiting.signed, message: { ...p, value: { id: p.value.id, block } } });
  }
  return whole;
}

function expectParts(state: ChainState, from: string, signed: Signed, header: unknown): void {
  const m = signed.message as Proposal;
  const id = m.value?.id;
  if (typeof id !== "string" || m.height < state.core.height || m.height > state.core.height + 1)
    return;
  const key = `${from}/${id}`;
  if (state.partsIn.has(key)) return;
  const set = createPartSet(id, header);
  if (set === undefined) {
    state.stats.rejected++;
    return;
  }
  if (state.partsIn.size >= MAX_BLOCKS_IN_PARTS) {
    const oldest = state.partsIn.keys().next();
    if (!oldest.done) state.partsIn.delete(oldest.value);
  }
  state.partsIn.set(key, { set, signed });
}
