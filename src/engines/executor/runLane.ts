import type { VersionedStore } from "../../storage";
import { decodeValue, executeKv, type KvValue } from "../../tx";
import { type ChainContext, executeSystem, writesReserved } from "./systemTx";
import type { LaneItem, TxOutcome } from "./txOutcome";

/**
 * Runs one lane (transactions that conflict only with each other) in block order. Reads
 * come from the state committed before this block, overlaid with the lane's own earlier
 * writes; no other lane touches these keys, so lanes never need to see each other.
 * `chain` is what a validator change is judged against (absent: no consensus).
 */
export async function runLane(
  store: VersionedStore,
  height: number,
  items: readonly LaneItem[],
  chain?: ChainContext,
): Promise<TxOutcome[]> {
  const keys = [...new Set(items.flatMap((i) => i.tx.reads))];
  const base = height - 1;
  const values = await Promise.all(keys.map((k) => store.read(k, base)));
  const committed = new Map<string, KvValue | undefined>();
  keys.forEach((k, i) => {
    const bytes = values[i];
    committed.set(k, bytes === undefined ? undefined : decodeValue(bytes));
  });
  const overlay = new Map<string, KvValue | undefined>();
  const read = (key: string) => (overlay.has(key) ? overlay.get(key) : committed.get(key));
  const outcomes: TxOutcome[] = [];
  for (const item of items) {
    const result = writesReserved(item.tx)
      ? executeSystem(item.tx, read, height, chain)
      : executeKv(item.tx, read);
    if (result.ok) {
      for (const w of result.writes) overlay.set(w.key, w.value);
      outcomes.push({ index: item.index, id: item.id, ok: true, writes: result.writes });
    } else {
      outcomes.push({ index: item.index, id: item.id, ok: false, error: result.error, writes: [] });
    }
  }
  return outcomes;
}
