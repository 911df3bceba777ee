import { hash } from "node:crypto";
import { encodeTx } from "./encodeTx";
import type { KvTx, TxId } from "./kvTx";

export function txId(tx: KvTx): TxId {
  return txIdOfEncoding(encodeTx(tx));
}

/** The id from an encoding already made by encodeTx, so callers that need both encode once. */
export function txIdOfEncoding(encoded: Uint8Array): TxId {
  return hash("sha256", encoded, "hex");
}
