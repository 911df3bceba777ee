import type { BlockWrite, Checkpoint, VersionedStore } from "../../storage";
import { encodeValue } from "../../tx";
import type { OrderedBlock } from "../ordering/orderingEngine";
import {
  commitAuxKey,
  encodeBlockRecord,
  encodeCommitRecord,
  encodeCommittedTx,
  txAuxKey,
} from "./blockRecord";
import type { TxOutcome } from "./txOutcome";

/**
 * Writes a block's effects, its record and every transaction's status in one atomic
 * batch: after a crash a block is either wholly there or replayed from the log.
 */
export async function commitBlock(
  store: VersionedStore,
  block: OrderedBlock,
  outcomes: readonly TxOutcome[],
): Promise<Checkpoint> {
  const sorted = [...outcomes].sort((a, b) => a.index - b.index);
  const writes: BlockWrite[] = [];
  const aux: Array<[string, Uint8Array]> = [];
  for (const o of sorted) {
    for (const w of o.writes) {
      writes.push({
        key: w.key,
        index: o.index,
        value: w.value === undefined ? undefined : encodeValue(w.value),
      });
    }
    if (o.duplicate) continue;
    aux.push([
      txAuxKey(o.id),
      encodeCommittedTx({
        height: block.height,
        index: o.index,
        ok: o.ok,
        ...(o.error === undefined ? {} : { error: o.error }),
      }),
    ]);
  }
  const txs = sorted.map((o) => ({
    id: o.id,
    ok: o.ok,
    ...(o.error === undefined ? {} : { error: o.error }),
  }));
  const record = encodeBlockRecord({ height: block.height, time: block.time, txs });
  if (block.commit) aux.push([commitAuxKey(block.height), encodeCommitRecord(block.commit)]);
  return store.commitBlock({
    height: block.height,
    writes,
    record,
    aux,
    logSeq: block.replayAfter,
    time: block.time,
  });
}
