import { decodeTx, encodeTx, txIdOfEncoding } from "../../tx";
import type { OrderedTx } from "../ordering/orderingEngine";

/** Replay and consensus read transactions other nodes accepted; this node's limits don't apply. */
const BLOCK_TX_LIMITS = { maxTxBytes: Number.MAX_SAFE_INTEGER };

/**
 * The transactions of a block, decoded and identified. Throws on the first that does not
 * decode: a block with one is not valid(v), and validators refuse to vote for it.
 */
export function decodeBlockTxs(encoded: readonly Uint8Array[]): OrderedTx[] {
  return encoded.map((bytes) => {
    const tx = decodeTx(bytes, BLOCK_TX_LIMITS);
    return { id: txIdOfEncoding(encodeTx(tx)), tx };
  });
}
