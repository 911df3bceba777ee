import type { KvTx } from "./kvTx";
import { parseTx } from "./parseTx";
import { txPackr } from "./txCodec";
import { malformed, tooLarge } from "./txError";
import { resolveTxLimits, type TxLimits } from "./txLimits";

/**
 * Bytes from a peer or the event log back to a checked, canonical transaction. The raw
 * size is checked before decoding so oversized input costs nothing. Non-canonical but
 * valid bytes are accepted and normalised: take the id from `txId` of the result, never
 * from a hash of the bytes received.
 */
export function decodeTx(bytes: Uint8Array, limits: TxLimits): KvTx {
  const { maxTxBytes } = resolveTxLimits(limits);
  if (bytes.length > maxTxBytes) throw tooLarge(bytes.length, maxTxBytes);
  let decoded: unknown;
  try {
    decoded = txPackr.unpack(bytes);
  } catch (err) {
    throw malformed("", "is not valid msgpack", err);
  }
  return parseTx(decoded, limits);
}
