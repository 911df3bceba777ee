import type { VersionedStore } from "../../storage";
import type { OrderedTx } from "../ordering/orderingEngine";
import { decodeCommittedTx, txAuxKey } from "./blockRecord";
import type { LaneItem, TxOutcome } from "./txOutcome";

/**
 * Separates a block's transactions into those to run and those already applied: committed
 * in an earlier block, or earlier in this one. Under consensus two proposers can include
 * the same transaction; it must take effect once.
 */
export async function splitDuplicates(
  store: VersionedStore,
  txs: readonly OrderedTx[],
): Promise<{ runnable: LaneItem[]; duplicates: TxOutcome[] }> {
  const committed = await store.getAuxMany(txs.map((t) => txAuxKey(t.id)));
  const runnable: LaneItem[] = [];
  const duplicates: TxOutcome[] = [];
  const firstIndex = new Map<string, number>();
  txs.forEach((t, index) => {
    const earlier = committed[index];
    const inBlock = firstIndex.get(t.id);
    if (earlier !== undefined) {
      const c = decodeCommittedTx(earlier);
      duplicates.push(
        duplicate(
          t.id,
          index,
          `duplicate: already committed at height ${c.height}, index ${c.index}`,
        ),
      );
    } else if (inBlock !== undefined) {
      duplicates.push(
        duplicate(t.id, index, `duplicate: already at index ${inBlock} of this block`),
      );
    } else {
      firstIndex.set(t.id, index);
      runnable.push({ index, id: t.id, tx: t.tx });
    }
  });
  return { runnable, duplicates };
}

function duplicate(id: string, index: number, error: string): TxOutcome {
  return { index, id, ok: false, error, writes: [], duplicate: true };
}
