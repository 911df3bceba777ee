import { TxError } from "./txError";

export const DEFAULT_MAX_KEYS = 1024;
export const DEFAULT_MAX_KEY_BYTES = 256;
/** Long enough for a UUID or a counter, short enough that it cannot smuggle a payload. */
export const MAX_NONCE_BYTES = 128;

/** Bounds applied to every transaction read from outside, whatever the channel. */
export interface TxLimits {
  /** On the canonical encoding, and on the raw bytes in `decodeTx`. */
  maxTxBytes: number;
  /** Per list: at most this many entries in `reads`, in `writes` and in `ops`. */
  maxKeys?: number;
  /** UTF-8 bytes of one key. */
  maxKeyBytes?: number;
}

export type ResolvedTxLimits = Required<TxLimits>;

/** A NaN or negative limit would silently accept everything, so misconfiguration throws. */
export function resolveTxLimits(limits: TxLimits): ResolvedTxLimits {
  const resolved = {
    maxTxBytes: limits.maxTxBytes,
    maxKeys: limits.maxKeys ?? DEFAULT_MAX_KEYS,
    maxKeyBytes: limits.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TxError(
        { code: "TX_BAD_ARGUMENT", name, reason: "not a positive safe integer" },
        `Cannot use transaction limit ${name}=${value}: it must be a positive safe integer`,
      );
    }
  }
  return resolved;
}
