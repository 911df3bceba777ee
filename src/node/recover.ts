import {
  type ChainContext,
  type CommitRecord,
  commitBlock,
  decodeAcceptedTx,
  decodeBlock,
  decodeBlockTxs,
  type OrderedBlock,
  type OrderedTx,
  type PendingTx,
  runLane,
  splitDuplicates,
  txAuxKey,
} from "../engines";
import type { EventLog, VersionedStore } from "../storage";
import { StorageError } from "../storage";

export interface Recovery {
  /** Transactions accepted before the crash and still waiting for a block. */
  pending: PendingTx[];
  replayedBlocks: number;
  /** Log entries read after the checkpoint. */
  replayedEntries: number;
  checkpointHeight: number;
  /** The root the last checkpoint recorded, and the root recomputed from the stored data. */
  checkpointRoot: string;
  verifiedRoot: string;
  /** After replay: height and root, recomputed from the data and equal to the new checkpoint's. */
  height: number;
  root: string;
}

export interface RecoverOptions {
  /** Under consensus: the chain, so replayed validator changes are judged as they were. */
  chain?: ChainContext;
  /** Recompute the root from the data before and after replay (a full scan each). */
  verify: boolean;
}

interface OrderEntry {
  seq: number;
  height: number;
  time: number;
  /** A locally ordered block names logged submissions... */
  ids?: string[];
  /** ...a decided one carries its transactions and its commit. */
  txs?: OrderedTx[];
  commit?: CommitRecord;
}

/**
 * Brings the state up to date from the last checkpoint: reads the event log after it,
 * re-executes every block that was ordered but not committed (the same transactions in
 * the same order give the same state) and returns what is still pending.
 */
export async function recover(
  store: VersionedStore,
  log: EventLog,
  opts: RecoverOptions,
): Promise<Recovery> {
  const checkpointHeight = store.height;
  const checkpointRoot = store.root;
  const verifiedRoot = opts.verify ? await verifyRoot(store, "before replay") : checkpointRoot;
  const from = (store.lastCheckpoint()?.logSeq ?? 0) + 1;
  const submitted = new Map<string, PendingTx>();
  const orders: OrderEntry[] = [];
  let entries = 0;
  for await (const { seq, entry } of log.read(from)) {
    entries++;
    const e = entry as Record<string, unknown>;
    if (e.type === "submit") {
      const id = e.id as string;
      const bytes = e.tx as Uint8Array;
      submitted.set(id, { id, tx: decodeAcceptedTx(bytes), bytes, seq });
    } else if (e.type === "order") {
      orders.push({
        seq,
        height: e.height as number,
        time: e.time as number,
        ids: e.ids as string[],
      });
    } else if (e.type === "decide") {
      const bytes = e.block as Uint8Array;
      const block = decodeBlock(bytes);
      orders.push({
        seq,
        height: e.height as number,
        time: block.time,
        txs: decodeBlockTxs(block.txs),
        commit: { block: bytes, certificate: e.certificate },
      });
    }
  }
  let replayedBlocks = 0;
  for (const order of orders) {
    const ids = order.txs ? order.txs.map((t) => t.id) : (order.ids ?? []);
    if (order.height <= store.height) {
      for (const id of ids) submitted.delete(id);
      continue;
    }
    if (order.height !== store.height + 1) {
      throw corrupt(
        `the log orders block ${order.height} but the state is at height ${store.height}`,
      );
    }
    // A decided block carries its transactions; a locally ordered one names logged ones.
    const txs =
      order.txs ??
      ids.map((id) => {
        const p = submitted.get(id);
        if (!p)
          throw corrupt(
            `block ${order.height} orders transaction ${id}, which the log never received`,
          );
        return { id, tx: p.tx };
      });
    for (const id of ids) submitted.delete(id);
    let oldestWaiting: number | undefined;
    for (const p of submitted.values()) {
      if (p.seq < order.seq && (oldestWaiting === undefined || p.seq < oldestWaiting))
        oldestWaiting = p.seq;
    }
    const block: OrderedBlock = {
      height: order.height,
      time: order.time,
      txs,
      replayAfter: oldestWaiting === undefined ? order.seq : Math.min(order.seq, oldestWaiting - 1),
      ...(order.commit ? { commit: order.commit } : {}),
    };
    // One lane in block order gives the same outcome as the executor's parallel lanes.
    const { runnable, duplicates } = await splitDuplicates(store, txs);
    const outcomes = await runLane(store, block.height, runnable, opts.chain);
    await commitBlock(store, block, [...duplicates, ...outcomes]);
    replayedBlocks++;
  }
  const waiting = [...submitted.values()].sort((a, b) => a.seq - b.seq);
  const done = await store.getAuxMany(waiting.map((p) => txAuxKey(p.id)));
  const pending = waiting.filter((_, i) => done[i] === undefined);
  const root =
    opts.verify && replayedBlocks > 0 ? await verifyRoot(store, "after replay") : store.root;
  return {
    pending,
    replayedBlocks,
    replayedEntries: entries,
    checkpointHeight,
    checkpointRoot,
    verifiedRoot,
    height: store.height,
    root,
  };
}

/** The root recomputed from the stored data must equal the last checkpoint's. */
async function verifyRoot(store: VersionedStore, when: string): Promise<string> {
  const computed = await store.computeRoot();
  if (computed !== store.root) {
    throw corrupt(
      `${when}, the state root computed from the data is ${computed} but the checkpoint at height ${store.height} recorded ${store.root}`,
    );
  }
  return computed;
}

function corrupt(reason: string): StorageError {
  return new StorageError(
    { code: "STORAGE_CORRUPT", reason },
    `Cannot replay the event log: ${reason}`,
  );
}
