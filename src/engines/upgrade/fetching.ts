import type { PeerInfo } from "../../p2p";
import type { EngineContext } from "../../runtime";
import {
  type Artifact,
  capacityOf,
  cleanStanding,
  FETCH_TICK_MS,
  HAVE_POLL_MS,
  MAX_PIECE_BYTES,
  MIN_PEER_BYTES_PER_SECOND,
  MIN_PIECE_DEADLINE_MS,
  type Offence,
  PEER_FETCH_BYTES_PER_SECOND,
  pacePeer,
  penalise,
  planFetches,
  reward,
} from "../../upgrade";
import { sha256Hex, sha512Hex } from "../../verify";
import { TRANSPORT } from "../names";
import { type HaveReply, UPGRADE } from "./messages";
import { report } from "./report";
import type { PeerView, Release, UpgradeEngineState } from "./upgradeTypes";

export type FetchInfo =
  | { type: "tick" }
  | { type: "have"; peer: string; reply: HaveReply }
  | { type: "fetched"; key: string; peer: string; version: string; bytes: Uint8Array }
  | { type: "fetchFailed"; key: string; peer: string; offence: Offence; reason: string };

export const chunkKey = (artifact: string, index: number) => `${artifact}/${index}`;

/** Starts the fetch loop if it is not running; it stops itself when nothing is left. */
export function scheduleTick(state: UpgradeEngineState, ctx: EngineContext, ms = FETCH_TICK_MS) {
  if (state.ticking) return;
  state.ticking = true;
  ctx.sendAfter(ms, { type: "tick" });
}

function fetchable(state: UpgradeEngineState): Release[] {
  const policy = state.args.options.policy;
  return [...state.releases.values()].filter(
    (r) => r.status === "fetching" && (policy !== "manual" || r.approved),
  );
}

/** One round: ask peers what they hold (now and then) and start the best fetches. */
export async function tick(state: UpgradeEngineState, ctx: EngineContext): Promise<void> {
  state.ticking = false;
  const releases = fetchable(state);
  if (releases.length === 0) return;
  const now = Date.now();
  if (now - state.lastHavePoll >= HAVE_POLL_MS) {
    state.lastHavePoll = now;
    await pollHaves(state, ctx, releases);
  }
  for (const release of releases) startFetches(state, ctx, release, now);
  scheduleTick(state, ctx);
}

async function pollHaves(state: UpgradeEngineState, ctx: EngineContext, releases: Release[]) {
  let peers: PeerInfo[] = [];
  try {
    peers = (await ctx.call({ engine: TRANSPORT }, { type: "peers" }, 2_000)) as PeerInfo[];
  } catch {
    return;
  }
  const connected = new Set(peers.map((p) => p.id));
  for (const id of state.peers.keys()) {
    const view = state.peers.get(id) as PeerView;
    // Forget what a departed peer held, but not what it did: its standing stays.
    if (!connected.has(id)) view.haves.clear();
  }
  for (const p of peers) {
    if (!state.peers.has(p.id))
      state.peers.set(p.id, { standing: cleanStanding(), haves: new Map() });
    for (const r of releases) {
      ctx.call({ node: p.id, engine: UPGRADE }, { type: "have", version: r.version }, 2_000).then(
        (reply) => ctx.info({ type: "have", peer: p.id, reply }),
        () => {},
      );
    }
  }
}

export function onHave(state: UpgradeEngineState, peer: string, reply: HaveReply): void {
  const view = state.peers.get(peer);
  const release =
    typeof reply?.version === "string" ? state.releases.get(reply.version) : undefined;
  if (view === undefined || release === undefined || typeof reply.artifacts !== "object") return;
  const keys = new Set<string>();
  for (const a of release.needs) {
    const list = (reply.artifacts as Record<string, unknown>)[a.name];
    if (!Array.isArray(list)) continue;
    for (const i of list.slice(0, a.chunks.length)) {
      if (Number.isSafeInteger(i) && i >= 0 && i < a.chunks.length) keys.add(chunkKey(a.name, i));
    }
  }
  view.haves.set(release.version, keys);
}

function startFetches(
  state: UpgradeEngineState,
  ctx: EngineContext,
  release: Release,
  now: number,
) {
  const needed: string[] = [];
  for (const a of release.needs) {
    const held = release.held.get(a.name) ?? new Set();
    for (let i = 0; i < a.chunks.length; i++) {
      const key = chunkKey(a.name, i);
      if (!held.has(i) && !state.inFlight.has(key)) needed.push(key);
    }
  }
  if (needed.length === 0) return;
  const holders = new Map<string, Set<string>>();
  const slots = [];
  for (const [id, view] of state.peers) {
    const have = view.haves.get(release.version);
    if (have === undefined || have.size === 0) continue;
    holders.set(id, have);
    let inFlight = 0;
    for (const f of state.inFlight.values()) if (f.peer === id) inFlight++;
    slots.push({ id, inFlight, capacity: capacityOf(view.standing, now) });
  }
  const plan = planFetches({
    needed,
    holders,
    peers: slots,
    budget: state.args.options.maxParallelFetches - state.inFlight.size,
    salt: state.args.nodeId,
  });
  for (const { key, peer } of plan) {
    const [name, index] = splitKey(key);
    const artifact = release.needs.find((a) => a.name === name) as Artifact;
    state.inFlight.set(key, { peer, version: release.version, started: now });
    const pace = (bytes: number) => {
      const slot = pacePeer(state.pacing.get(peer), {
        now: Date.now(),
        bytes,
        rate: PEER_FETCH_BYTES_PER_SECOND,
      });
      state.pacing.set(peer, slot.nextFree);
      return slot.at - Date.now();
    };
    void fetchChunk(ctx, { version: release.version, artifact, index, peer, key, pace });
  }
}

/**
 * Fetches one chunk from one peer, piece by piece (a piece fits a p2p frame), each with
 * a deadline that a peer meeting MIN_PEER_BYTES_PER_SECOND always makes. The result goes
 * back into the mailbox; nothing here touches the engine's state.
 */
async function fetchChunk(
  ctx: EngineContext,
  f: {
    version: string;
    artifact: Artifact;
    index: number;
    peer: string;
    key: string;
    /** Books a piece against the peer's rate; returns how long to wait before asking. */
    pace: (bytes: number) => number;
  },
): Promise<void> {
  const { version, artifact, index, peer, key } = f;
  const start = index * artifact.chunkSize;
  const size = Math.min(artifact.chunkSize, artifact.size - start);
  const fail = (offence: Offence, reason: string) =>
    ctx.info({ type: "fetchFailed", key, peer, offence, reason });
  const parts: Uint8Array[] = [];
  // One piece at a time: the peer puts a chunk's later pieces ahead of fresh requests
  // (see serving.ts), so an admitted chunk completes after one wait in its queue.
  for (let offset = 0; offset < size; offset += MAX_PIECE_BYTES) {
    const length = Math.min(MAX_PIECE_BYTES, size - offset);
    const r = await askPiece(ctx, f, { offset, length });
    if (!r.ok) return fail(r.offence, r.reason);
    parts.push(r.data);
  }
  ctx.info({ type: "fetched", key, peer, version, bytes: new Uint8Array(Buffer.concat(parts)) });
}

type PieceResult = { ok: true; data: Uint8Array } | { ok: false; offence: Offence; reason: string };

async function askPiece(
  ctx: EngineContext,
  f: Parameters<typeof fetchChunk>[1],
  p: { offset: number; length: number },
): Promise<PieceResult> {
  const { length } = p;
  const wait = f.pace(length);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const deadline = Math.max(MIN_PIECE_DEADLINE_MS, (length / MIN_PEER_BYTES_PER_SECOND) * 1000);
  let reply: unknown;
  try {
    reply = await ctx.call(
      { node: f.peer, engine: UPGRADE },
      {
        type: "chunk",
        version: f.version,
        artifact: f.artifact.name,
        index: f.index,
        offset: p.offset,
        length,
      },
      deadline,
    );
  } catch (err) {
    const timeout = /no reply within/.test((err as Error).message);
    return { ok: false, offence: timeout ? "slow" : "error", reason: (err as Error).message };
  }
  const r = reply as { data?: unknown; busy?: unknown };
  if (r?.busy === true)
    return { ok: false, offence: "busy", reason: "the peer's upload queue is full" };
  if (!(r?.data instanceof Uint8Array))
    return { ok: false, offence: "error", reason: "the reply holds no bytes" };
  if (r.data.byteLength > length) {
    return {
      ok: false,
      offence: "oversized",
      reason: `it sent ${r.data.byteLength} bytes where the manifest allows ${length}`,
    };
  }
  if (r.data.byteLength < length) {
    return {
      ok: false,
      offence: "wrong-size",
      reason: `it sent ${r.data.byteLength} bytes where ${length} were asked`,
    };
  }
  return { ok: true, data: r.data };
}

/** A fetched chunk: kept if its hash is the manifest's, else its sender is banned. */
export async function onFetched(
  state: UpgradeEngineState,
  ctx: EngineContext,
  m: Extract<FetchInfo, { type: "fetched" }>,
): Promise<void> {
  state.inFlight.delete(m.key);
  const release = state.releases.get(m.version);
  if (release === undefined || release.status !== "fetching") return;
  const [name, index] = splitKey(m.key);
  const artifact = release.needs.find((a) => a.name === name);
  if (artifact === undefined) return;
  if (sha256Hex(m.bytes) !== artifact.chunks[index]) {
    offend(
      state,
      ctx,
      m.peer,
      "bad-hash",
      `chunk ${m.key} of ${m.version} does not match its signed hash (corrupt, or from another release)`,
      m.version,
    );
    scheduleTick(state, ctx, 0);
    return;
  }
  await state.store.writeChunk(m.version, name, index, m.bytes);
  release.held.get(name)?.add(index);
  release.sources[m.peer] = (release.sources[m.peer] ?? 0) + 1;
  const view = state.peers.get(m.peer);
  if (view) view.standing = reward(view.standing);
  if (isComplete(release)) await verifyRelease(state, ctx, release);
  else scheduleTick(state, ctx, 0);
}

export function onFetchFailed(
  state: UpgradeEngineState,
  ctx: EngineContext,
  m: Extract<FetchInfo, { type: "fetchFailed" }>,
): void {
  const flight = state.inFlight.get(m.key);
  state.inFlight.delete(m.key);
  offend(state, ctx, m.peer, m.offence, `${m.reason} (chunk ${m.key})`, flight?.version);
  scheduleTick(state, ctx, 0);
}

function offend(
  state: UpgradeEngineState,
  ctx: EngineContext,
  peer: string,
  offence: Offence,
  reason: string,
  version: string | undefined,
): void {
  const view = state.peers.get(peer) ?? { standing: cleanStanding(), haves: new Map() };
  view.standing = penalise(view.standing, offence, Date.now());
  state.peers.set(peer, view);
  if (offence === "busy") return;
  report(state.refusals, {
    at: Date.now(),
    version,
    code: `PEER_${offence.toUpperCase().replace("-", "_")}`,
    reason: `peer ${peer}: ${reason}`,
  });
  ctx.log.warn("peer penalised", { peer, offence, version });
}

export function isComplete(release: Release): boolean {
  return release.needs.every((a) => (release.held.get(a.name)?.size ?? 0) === a.chunks.length);
}

/** Every needed artifact whole: size and SHA-512 over the assembled bytes. */
export async function verifyRelease(
  state: UpgradeEngineState,
  ctx: EngineContext,
  release: Release,
): Promise<void> {
  for (const a of release.needs) {
    const bytes = await state.store.assemble(release.version, a.name, a.chunks.length);
    if (bytes.byteLength !== a.size || sha512Hex(bytes) !== a.sha512) {
      // Every chunk matched its hash, so the disk changed under us: fetch it again.
      release.held.set(a.name, new Set());
      await state.store.remove(release.version);
      await state.store.saveManifest(release.signed);
      ctx.log.error("assembled artifact does not match its manifest; fetching again", {
        version: release.version,
        artifact: a.name,
      });
      scheduleTick(state, ctx);
      return;
    }
  }
  release.status = "verified";
  ctx.log.info("release fetched and verified", {
    version: release.version,
    sources: release.sources,
  });
  ctx.info({ type: "decide", version: release.version });
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf("/");
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
