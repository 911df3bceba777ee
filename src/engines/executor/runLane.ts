import type { VersionedStore } from "../../storage";
import { decodeValue, executeKv, type KvValue } from "../../tx";
import { type ChainContext, executeSystem, writesReserved } from "./systemTx";
import type { LaneItem, TxOutcome } from "./txOutcome";

/**
 * Runs one lane of a block in order against the state after height - 1: each
 * transaction sees the writes of those before it in the lane. See runLanes.
 */
export function runLane(
  store: VersionedStore,
  height: number,
  items: readonly LaneItem[],
  chain?: ChainContext,
): Promise<TxOutcome[]> {
  return runLanes(store, height, [items], chain);
}

/**
 * Runs conflict-free lanes (scheduleBlock's) against the state after height - 1, each in
 * order, and returns their outcomes lane by lane. Every key any of them reads is read
 * once, up front; since no lane reads or writes a key another lane writes, and a
 * transaction reads only keys it declared (parseTx), one table of committed values and
 * one of writes serve them all, exactly as a table per lane would. One pass, not a
 * promise, a set and two maps per lane: most lanes of a busy block hold one transaction.
 */
export async function runLanes(
  store: VersionedStore,
  height: number,
  lanes: readonly (readonly LaneItem[])[],
  chain?: ChainContext,
): Promise<TxOutcome[]> {
  const keys = new Set<string>();
  for (const lane of lanes) for (const item of lane) for (const k of item.tx.reads) keys.add(k);
  const committed = new Map<string, KvValue | undefined>();
  if (keys.size > 0) {
    const base = height - 1;
    const list = [...keys];
    const values = await Promise.all(list.map((k) => store.read(k, base)));
    list.forEach((k, i) => {
      const bytes = values[i];
      committed.set(k, bytes === undefined ? undefined : decodeValue(bytes));
    });
  }
  const overlay = new Map<string, KvValue | undefined>();
  const read = (key: string) => (overlay.has(key) ? overlay.get(key) : committed.get(key));
  const outcomes: TxOutcome[] = [];
  for (const lane of lanes) {
    for (const item of lane) {
      const result = writesReserved(item.tx)
        ? executeSystem(item.tx, read, height, chain)
        : executeKv(item.tx, read);
      if (result.ok) {
        for (const w of result.writes) overlay.set(w.key, w.value);
        outcomes.push({ index: item.index, id: item.id, ok: true, writes: result.writes });
      } else {
        outcomes.push({
          index: item.index,
          id: item.id,
          ok: false,
          error: result.error,
          writes: [],
        });
      }
    }
  }
  return outcomes;
}
