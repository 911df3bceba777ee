import { decodeTx, encodeTx, type KvTx, txIdOfEncoding } from "../../tx";
import type { OrderedTx } from "../ordering/orderingEngine";

/**
 * Replay and consensus read transactions accepted earlier or by other nodes; today's
 * limits of this node must not reject them.
 */
const ACCEPTED_TX_LIMITS = { maxTxBytes: Number.MAX_SAFE_INTEGER };

/** One transaction encoding that was accepted before (a log entry, a block's entry). */
export function decodeAcceptedTx(bytes: Uint8Array): KvTx {
  return decodeTx(bytes, ACCEPTED_TX_LIMITS);
}

/**
 * The transactions of a block, decoded and identified. Throws on the first that does not
 * decode: a block with one is not valid(v), and validators refuse to vote for it.
 */
export function decodeBlockTxs(encoded: readonly Uint8Array[]): OrderedTx[] {
  return encoded.map((bytes) => {
    const tx = decodeAcceptedTx(bytes);
    return { id: txIdOfEncoding(encodeTx(tx)), tx };
  });
}
