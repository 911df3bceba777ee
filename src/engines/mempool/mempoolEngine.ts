import { NodeError } from "../../errors";
import type { BrokerClient, EngineContext, EngineModule, From } from "../../runtime";
import type { VersionedStore } from "../../storage";
import { decodeTx, encodeTx, type KvTx, parseTx, type TxLimits, txIdOfEncoding } from "../../tx";
import { nodeEvent } from "../events";
import { decodeCommittedTx, txAuxKey } from "../executor/blockRecord";
import { LOGGER, MEMPOOL, ORDERING, TRANSPORT } from "../names";
import type { OrderedTx, OrderingCast } from "../ordering/orderingEngine";
import { MempoolError } from "./mempoolError";
import { type OutcomeStatus, outcomeStatus, type TxStatus } from "./txStatus";

export interface MempoolOptions {
  limits: TxLimits;
  maxPending: number;
  maxBlockTxs: number;
  blockIntervalMs: number;
  /** single: this node cuts blocks on a timer; consensus: a proposer reaps transactions. */
  mode: "single" | "consensus";
  /** Where accepted transactions are gossiped: one topic per chain. */
  gossipTopic: string;
}

export interface PendingTx {
  id: string;
  tx: KvTx;
  /** The canonical encoding, as proposed in blocks and gossiped. */
  bytes: Uint8Array;
  /** Seq of the log entry that recorded the submission. */
  seq: number;
}

export interface MempoolArgs {
  options: MempoolOptions;
  store: VersionedStore;
  broker: BrokerClient;
  /** Transactions recovered from the log as still waiting for a block. */
  recovered: PendingTx[];
}

export type SubmitResult =
  | { id: string; status: TxStatus; duplicate: boolean }
  | { error: { code: string; message: string } };

export type MempoolCall =
  | { type: "submit"; txs: unknown[] }
  | { type: "reap"; maxBytes: number; maxTxs: number }
  | { type: "oldestPending" }
  | { type: "status"; id: string; wait?: boolean }
  | { type: "stats" };

interface MempoolState {
  args: MempoolArgs;
  pending: Map<string, PendingTx>;
  logging: Set<string>;
  inFlight: Map<string, TxStatus>;
  waiters: Map<string, From[]>;
  /** Reaped into this node's own proposal; reapable again after the next commit. */
  reserved: Set<string>;
  blockInFlight: boolean;
  stats: { accepted: number; rejected: number; duplicates: number; committed: number };
}

interface Accepted {
  id: string;
  tx: KvTx;
  bytes: Uint8Array;
}

/** Where submissions came from: local ones are gossiped on, gossiped ones already travel. */
type Origin = "local" | "gossip";

/** Keep each gossip message well under the p2p gossip frame limit. */
const MAX_GOSSIP_BATCH_BYTES = 128 * 1024;
const MAX_GOSSIP_TXS = 10_000;

/**
 * Validates and deduplicates submitted transactions, logs them (an acknowledged
 * submission survives a crash), and cuts blocks: every `blockIntervalMs`, or at once when
 * a full block is waiting. One block is in flight at a time.
 */
export const mempoolEngine: EngineModule<MempoolState, MempoolArgs> = {
  name: MEMPOOL,
  version: "1.0.0",
  init(args, ctx) {
    ctx.sendAfter(args.options.blockIntervalMs, { type: "tick" });
    return {
      args,
      pending: new Map(args.recovered.map((p) => [p.id, p])),
      logging: new Set(),
      inFlight: new Map(),
      waiters: new Map(),
      reserved: new Set(),
      blockInFlight: false,
      stats: { accepted: 0, rejected: 0, duplicates: 0, committed: 0 },
    };
  },
  async handleCall(msg, from, state, ctx) {
    const m = msg as MempoolCall;
    switch (m.type) {
      case "submit":
        return submit(m.txs, from, state, ctx, "local");
      case "status": {
        const status = await statusOf(state, m.id);
        if (!m.wait || status.state === "committed" || status.state === "unknown")
          return { reply: status, state };
        const list = state.waiters.get(m.id) ?? [];
        list.push(from);
        state.waiters.set(m.id, list);
        return { noreply: true, state };
      }
      case "reap":
        return { reply: reap(state, m.maxBytes, m.maxTxs), state };
      case "oldestPending": {
        const first = state.pending.values().next();
        return { reply: first.done ? null : first.value.seq, state };
      }
      case "stats":
        return {
          reply: {
            ...state.stats,
            pending: state.pending.size + state.logging.size,
            inFlight: state.inFlight.size,
          },
          state,
        };
      default:
        // Calls may come from other nodes: a malformed one is refused, never a crash.
        ctx.replyError(
          from,
          new MempoolError(
            { code: "MEMPOOL_BAD_REQUEST", reason: "unknown call" },
            "Cannot serve mempool call: unknown request type",
          ),
        );
        return { noreply: true, state };
    }
  },
  handleInfo(msg, state, ctx) {
    const m = msg as { type: string } & Record<string, unknown>;
    switch (m.type) {
      case "tick":
        if (state.args.options.mode === "single") produce(state, ctx);
        ctx.sendAfter(state.args.options.blockIntervalMs, { type: "tick" });
        return state;
      case "logged": {
        const accepted = m.accepted as Accepted[];
        let seq = (m.lastSeq as number) - accepted.length;
        for (const a of accepted) {
          seq++;
          state.logging.delete(a.id);
          state.pending.set(a.id, { id: a.id, tx: a.tx, bytes: a.bytes, seq });
          state.args.broker.publish(nodeEvent("tx.submitted", { id: a.id }));
        }
        state.stats.accepted += accepted.length;
        if (m.from !== undefined) ctx.reply(m.from as From, m.results);
        if (m.origin === "local") gossip(accepted, state.args.options.gossipTopic, ctx);
        if (
          state.args.options.mode === "single" &&
          state.pending.size >= state.args.options.maxBlockTxs
        ) {
          produce(state, ctx);
        }
        return state;
      }
      case "logFailed": {
        for (const a of m.accepted as Accepted[]) state.logging.delete(a.id);
        if (m.from !== undefined) ctx.replyError(m.from as From, m.error);
        return state;
      }
      default:
        return state;
    }
  },
  async handleCast(msg, state, ctx) {
    const m = msg as {
      type: string;
      height: number;
      ids?: string[];
      outcomes?: OutcomeStatus[];
      txs?: unknown;
    };
    switch (m.type) {
      case "submitGossip": {
        const txs = decodeGossip(m.txs, state);
        if (txs.length > 0) await submit(txs, undefined, state, ctx, "gossip");
        return state;
      }
      case "ordered":
        // Under consensus the block may hold transactions still pending here (ours or
        // gossiped ones): they leave the pool now.
        (m.ids ?? []).forEach((id, index) => {
          state.pending.delete(id);
          state.reserved.delete(id);
          state.inFlight.set(id, { state: "ordered", height: m.height, index });
        });
        return state;
      case "executed":
        for (const o of m.outcomes ?? [])
          state.inFlight.set(o.id, outcomeStatus("executed", m.height, o));
        return state;
      case "committed":
        for (const o of m.outcomes ?? []) {
          state.inFlight.delete(o.id);
          // A second inclusion of a transaction committed earlier: its status stands.
          if (o.duplicate) continue;
          const status = outcomeStatus("committed", m.height, o);
          for (const w of state.waiters.get(o.id) ?? []) ctx.reply(w, status);
          state.waiters.delete(o.id);
        }
        state.stats.committed += (m.outcomes ?? []).filter((o) => !o.duplicate).length;
        state.blockInFlight = false;
        state.reserved.clear();
        if (
          state.args.options.mode === "single" &&
          state.pending.size >= state.args.options.maxBlockTxs
        ) {
          produce(state, ctx);
        }
        return state;
      default:
        throw new Error(`mempool: unexpected cast ${JSON.stringify(msg)}`);
    }
  },
};

async function submit(
  raw: unknown,
  from: From | undefined,
  state: MempoolState,
  ctx: EngineContext,
  origin: Origin,
): Promise<
  { noreply: true; state: MempoolState } | { reply: SubmitResult[]; state: MempoolState }
> {
  if (!Array.isArray(raw)) {
    const err = new MempoolError(
      { code: "MEMPOOL_BAD_REQUEST", reason: "txs" },
      "Cannot submit: expected a list of transactions",
    );
    return { reply: [{ error: { code: err.code, message: err.message } }], state };
  }
  const results: SubmitResult[] = [];
  const fresh: Array<{ slot: number; a: Accepted }> = [];
  const seen = new Set<string>();
  for (const input of raw) {
    try {
      const tx = parseTx(input, state.args.options.limits);
      const bytes = encodeTx(tx);
      const id = txIdOfEncoding(bytes);
      const known = localStatus(state, id);
      if (known || seen.has(id)) {
        state.stats.duplicates++;
        results.push({ id, status: known ?? { state: "pending" }, duplicate: true });
        continue;
      }
      seen.add(id);
      fresh.push({ slot: results.length, a: { id, tx, bytes } });
      results.push({ id, status: { state: "pending" }, duplicate: false });
    } catch (err) {
      state.stats.rejected++;
      results.push({ error: errorBody(err) });
    }
  }
  // A transaction committed earlier is a duplicate too: the aux index remembers it.
  const committed = await state.args.store.getAuxMany(fresh.map(({ a }) => txAuxKey(a.id)));
  const accepted: Accepted[] = [];
  fresh.forEach(({ slot, a }, i) => {
    const bytes = committed[i];
    if (bytes) {
      const c = decodeCommittedTx(bytes);
      state.stats.duplicates++;
      results[slot] = {
        id: a.id,
        status: outcomeStatus("committed", c.height, { id: a.id, ...c }),
        duplicate: true,
      };
      return;
    }
    const room =
      state.args.options.maxPending - state.pending.size - state.logging.size - accepted.length;
    if (room <= 0) {
      const err = new MempoolError(
        { code: "MEMPOOL_FULL", pending: state.pending.size, limit: state.args.options.maxPending },
        `Cannot accept transaction: the mempool holds its limit of ${state.args.options.maxPending}; retry later`,
      );
      state.stats.rejected++;
      results[slot] = { error: errorBody(err) };
      return;
    }
    accepted.push(a);
  });
  if (accepted.length === 0) return { reply: results, state };
  for (const a of accepted) state.logging.add(a.id);
  const entries = accepted.map((a) => ({ type: "submit", id: a.id, tx: a.bytes }));
  ctx.call({ engine: LOGGER }, { type: "append", entries }).then(
    (lastSeq) => ctx.info({ type: "logged", from, accepted, results, lastSeq, origin }),
    (error: unknown) => ctx.info({ type: "logFailed", from, accepted, error }),
  );
  return { noreply: true, state };
}

/** Gossip payloads are untrusted: a list of encoded transactions, each decoded and checked. */
function decodeGossip(raw: unknown, state: MempoolState): KvTx[] {
  if (!Array.isArray(raw) || raw.length > MAX_GOSSIP_TXS) {
    state.stats.rejected++;
    return [];
  }
  const txs: KvTx[] = [];
  for (const bytes of raw) {
    try {
      if (!(bytes instanceof Uint8Array)) throw new Error("not bytes");
      txs.push(decodeTx(bytes, state.args.options.limits));
    } catch {
      state.stats.rejected++;
    }
  }
  return txs;
}

/** Hands locally accepted transactions to the transport, in batches under the frame limit. */
function gossip(accepted: readonly Accepted[], topic: string, ctx: EngineContext): void {
  let batch: Uint8Array[] = [];
  let size = 0;
  const flush = () => {
    if (batch.length > 0) ctx.cast({ engine: TRANSPORT }, { type: "publish", topic, body: batch });
    batch = [];
    size = 0;
  };
  for (const a of accepted) {
    if (size + a.bytes.length > MAX_GOSSIP_BATCH_BYTES) flush();
    batch.push(a.bytes);
    size += a.bytes.length;
  }
  flush();
}

/** Pending transactions for a proposal, oldest first, within the block's limits. */
function reap(state: MempoolState, maxBytes: number, maxTxs: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let bytes = 0;
  for (const p of state.pending.values()) {
    if (out.length >= maxTxs) break;
    if (state.reserved.has(p.id)) continue;
    // Room for the encoding's framing per transaction.
    if (bytes + p.bytes.length + 8 > maxBytes) break;
    out.push(p.bytes);
    bytes += p.bytes.length + 8;
    state.reserved.add(p.id);
  }
  return out;
}

function produce(state: MempoolState, ctx: EngineContext): void {
  if (state.blockInFlight || state.pending.size === 0) return;
  const txs: OrderedTx[] = [];
  for (const p of state.pending.values()) {
    if (txs.length >= state.args.options.maxBlockTxs) break;
    txs.push({ id: p.id, tx: p.tx });
  }
  for (const t of txs) {
    state.pending.delete(t.id);
    state.inFlight.set(t.id, { state: "pending" });
  }
  const next = state.pending.values().next();
  const msg: OrderingCast = {
    type: "order",
    txs,
    pendingFromSeq: next.done ? undefined : next.value.seq,
  };
  state.blockInFlight = true;
  ctx.cast({ engine: ORDERING }, msg);
}

function localStatus(state: MempoolState, id: string): TxStatus | undefined {
  if (state.pending.has(id) || state.logging.has(id)) return { state: "pending" };
  return state.inFlight.get(id);
}

async function statusOf(state: MempoolState, id: string): Promise<TxStatus> {
  const local = localStatus(state, id);
  if (local) return local;
  const bytes = await state.args.store.getAux(txAuxKey(id));
  if (!bytes) return { state: "unknown" };
  const c = decodeCommittedTx(bytes);
  return outcomeStatus("committed", c.height, { id, ...c });
}

function errorBody(err: unknown): { code: string; message: string } {
  if (err instanceof NodeError) return { code: err.code, message: err.message };
  return { code: "INTERNAL", message: err instanceof Error ? err.message : String(err) };
}
