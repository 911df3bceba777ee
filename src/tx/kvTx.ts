/**
 * A stored value. `null` is not a value: absence is what a delete leaves, and only
 * `cas.expect` names it, so "absent" and "present but empty" can never be confused.
 */
export type KvValue = string | number | boolean | Uint8Array;

export type KvOp =
  | { op: "put"; key: string; value: KvValue }
  | { op: "delete"; key: string }
  /** `by` defaults to 1; the parsed form omits it when it is 1, so both spellings share an id. */
  | { op: "increment"; key: string; by?: number }
  /** `expect: null` means the key must be absent. */
  | { op: "cas"; key: string; expect: KvValue | null; value: KvValue };

/**
 * A declarative transaction: every key an op touches is declared up front, so the
 * executor can prefetch reads and schedule non-conflicting transactions in parallel
 * without running them. The nonce lets a user submit the same ops twice as two
 * transactions with two ids.
 */
export interface KvTx {
  kind: "kv";
  reads: string[];
  writes: string[];
  ops: KvOp[];
  nonce?: string;
}

/** Lowercase hex SHA-256 of the canonical encoding. */
export type TxId = string;
