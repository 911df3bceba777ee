import { NodeError } from "../errors";

/** Every failure the transaction model raises on purpose, each code with its own metadata. */
export type TxErrorType =
  /** `path` names the offending field, as in `ops[2].key`; "" is the transaction itself. */
  | { code: "TX_MALFORMED"; path: string; reason: string }
  | { code: "TX_UNDECLARED_KEY"; path: string; key: string; list: "reads" | "writes"; op: number }
  | { code: "TX_TOO_MANY_KEYS"; path: string; count: number; limit: number }
  | { code: "TX_KEY_TOO_LONG"; path: string; bytes: number; limit: number }
  | { code: "TX_TOO_LARGE"; size: number; limit: number }
  /** A stored value or status that does not decode: the store is damaged, not the user input. */
  | { code: "TX_CORRUPT"; record: "value" | "status"; reason: string }
  | { code: "TX_BAD_ARGUMENT"; name: string; reason: string };

export type TxErrorCode = TxErrorType["code"];

export class TxError extends NodeError<TxErrorType> {}

export function malformed(path: string, reason: string, cause?: unknown): TxError {
  return new TxError(
    { code: "TX_MALFORMED", path, reason },
    `Cannot accept transaction: ${path === "" ? "it" : path} ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

export function tooLarge(size: number, limit: number): TxError {
  return new TxError(
    { code: "TX_TOO_LARGE", size, limit },
    `Cannot accept transaction: it is ${size} bytes, over the limit of ${limit}`,
  );
}

export function tooMany(path: string, count: number, limit: number): TxError {
  return new TxError(
    { code: "TX_TOO_MANY_KEYS", path, count, limit },
    `Cannot accept transaction: ${path} has ${count} entries, over the limit of ${limit}`,
  );
}
