import { canonicalTx } from "./canonicalTx";
import type { KvTx } from "./kvTx";
import { txPackr } from "./txCodec";

/**
 * The canonical bytes of a transaction, the ones its id hashes. Canonicalising here too,
 * not only in `parseTx`, keeps a transaction built in code from encoding differently
 * from the same transaction parsed from JSON.
 */
export function encodeTx(tx: KvTx): Uint8Array {
  return txPackr.pack(canonicalTx(tx));
}
