import type { CallResult, EngineContext, From } from "../../runtime";
import {
  MAX_PIECE_BYTES,
  MAX_UPLOAD_QUEUE_MS,
  MIN_PIECE_DEADLINE_MS,
  SERVE_CACHE_CHUNKS,
} from "../../upgrade";
import type { HaveReply, PeerCall } from "./messages";
import type { UpgradeEngineState } from "./upgradeTypes";

/** An admitted chunk's rest is held for its asker this long (its pieces' deadlines). */
const RESERVATION_MS = 2 * MIN_PIECE_DEADLINE_MS;

const cache = new WeakMap<UpgradeEngineState, Map<string, Uint8Array>>();

/** Which chunks this node holds of a release: what its peers fetch from it. */
export function have(state: UpgradeEngineState, version: unknown): HaveReply {
  const release = typeof version === "string" ? state.releases.get(version) : undefined;
  const artifacts: Record<string, number[]> = {};
  if (release !== undefined) {
    for (const [name, held] of release.held) artifacts[name] = [...held];
  }
  return { version: String(version), artifacts };
}

/**
 * Serves one piece of a held chunk, within the node's upload rate: a token bucket
 * refilled at `uploadBytesPerSecond`. A request that would wait too long in the queue is
 * answered "busy" at once, so the asker turns to another peer rather than timing out.
 */
export async function serveChunk(
  state: UpgradeEngineState,
  ctx: EngineContext,
  m: Extract<PeerCall, { type: "chunk" }>,
  from: From,
): Promise<CallResult<UpgradeEngineState>> {
  const refuse = (why: string) => ({ reply: { error: why }, state });
  const release = typeof m.version === "string" ? state.releases.get(m.version) : undefined;
  if (release === undefined) return refuse("unknown release");
  const artifact = release.signed.manifest.artifacts.find((a) => a.name === m.artifact);
  if (artifact === undefined || !Number.isSafeInteger(m.index)) return refuse("unknown artifact");
  if (!release.held.get(artifact.name)?.has(m.index)) return refuse("chunk not held");
  const chunkBytes = Math.min(artifact.chunkSize, artifact.size - m.index * artifact.chunkSize);
  if (
    !Number.isSafeInteger(m.offset) ||
    !Number.isSafeInteger(m.length) ||
    m.offset < 0 ||
    m.length < 1 ||
    m.length > MAX_PIECE_BYTES ||
    m.offset + m.length > chunkBytes
  ) {
    return refuse("bad range");
  }
  const rate = state.args.options.uploadBytesPerSecond;
  const up = state.upload;
  refill(state);
  // A later piece of a chunk goes ahead of fresh requests: its asker was admitted with
  // the first piece, and the chunk is servable by its new holder only once whole. So a
  // fresh request is admitted only if the whole chunk fits the queue, counting the rest
  // of every chunk already admitted; fresh requests are the ones answered "busy".
  const continuation = m.offset > 0;
  const chunk = `${release.version}/${artifact.name}/${m.index}`;
  const now = performance.now();
  up.reserved = up.reserved.filter((r) => r.until > now);
  if (continuation) claim(up.reserved, chunk, m.length);
  const ahead = up.queue.filter((d) => d.continuation || !continuation);
  const queued = ahead.reduce((n, d) => n + d.bytes, 0);
  const owed = continuation ? 0 : up.reserved.reduce((n, r) => n + r.bytes, 0);
  const asked = continuation ? m.length : chunkBytes - m.offset;
  const waitMs = ((queued + owed + asked - up.tokens) / rate) * 1000;
  // An idle uploader takes a chunk however slow its limit, or a chunk longer than the
  // queue bound would never be sent.
  if (waitMs > MAX_UPLOAD_QUEUE_MS && queued + owed > 0) return { reply: { busy: true }, state };
  if (!continuation && asked > m.length) {
    up.reserved.push({ chunk, bytes: asked - m.length, until: now + RESERVATION_MS });
  }
  const run = () => readPiece(state, release.version, artifact.name, m.index, m.offset, m.length);
  if (up.queue.length === 0 && up.tokens >= m.length) {
    up.tokens -= m.length;
    return { reply: await served(state, run, m.length), state };
  }
  const deferred = { from, bytes: m.length, run, continuation };
  if (continuation) up.queue.splice(ahead.length, 0, deferred);
  else up.queue.push(deferred);
  if (!up.draining) {
    up.draining = true;
    ctx.sendAfter(Math.max(1, waitMs / Math.max(1, up.queue.length)), { type: "drain" });
  }
  return { noreply: true, state };
}

/** Answers queued requests as the bucket refills. */
export async function drain(state: UpgradeEngineState, ctx: EngineContext): Promise<void> {
  const up = state.upload;
  up.draining = false;
  refill(state);
  while (up.queue.length > 0 && up.tokens >= (up.queue[0]?.bytes ?? 0)) {
    const d = up.queue.shift() as (typeof up.queue)[number];
    up.tokens -= d.bytes;
    try {
      ctx.reply(d.from, await served(state, d.run, d.bytes));
    } catch (err) {
      ctx.reply(d.from, { error: (err as Error).message });
    }
  }
  const next = up.queue[0];
  if (next !== undefined) {
    up.draining = true;
    const rate = state.args.options.uploadBytesPerSecond;
    ctx.sendAfter(Math.max(1, ((next.bytes - up.tokens) / rate) * 1000), { type: "drain" });
  }
}

/** Takes a later piece's bytes off its chunk's reservation. */
function claim(reserved: Array<{ chunk: string; bytes: number }>, chunk: string, bytes: number) {
  const r = reserved.find((x) => x.chunk === chunk);
  if (r === undefined) return;
  r.bytes -= bytes;
  if (r.bytes <= 0) reserved.splice(reserved.indexOf(r), 1);
}

function refill(state: UpgradeEngineState): void {
  const up = state.upload;
  const rate = state.args.options.uploadBytesPerSecond;
  const now = performance.now();
  // A burst of a quarter second's worth (at least one piece) keeps pipes full without
  // letting an idle node blast far above its limit.
  const burst = Math.max(MAX_PIECE_BYTES, rate / 4);
  up.tokens = Math.min(burst, up.tokens + ((now - up.last) / 1000) * rate);
  up.last = now;
}

async function served(state: UpgradeEngineState, run: () => Promise<unknown>, bytes: number) {
  const data = await run();
  state.served.bytes += bytes;
  state.served.pieces += 1;
  return { data };
}

async function readPiece(
  state: UpgradeEngineState,
  version: string,
  artifact: string,
  index: number,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  let chunks = cache.get(state);
  if (chunks === undefined) {
    chunks = new Map();
    cache.set(state, chunks);
  }
  const key = `${version}/${artifact}/${index}`;
  let bytes = chunks.get(key);
  if (bytes === undefined) {
    bytes = await state.store.readChunk(version, artifact, index);
    chunks.set(key, bytes);
    if (chunks.size > SERVE_CACHE_CHUNKS) chunks.delete(chunks.keys().next().value as string);
  }
  return bytes.subarray(offset, offset + length);
}
