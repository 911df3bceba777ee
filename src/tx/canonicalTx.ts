import { compareKeys } from "./compareKeys";
import type { KvOp, KvTx } from "./kvTx";

/**
 * Rebuilds a transaction with object keys inserted in sorted order (msgpack keeps
 * insertion order), key lists sorted and deduplicated, and `by: 1` dropped, so two
 * transactions that mean the same thing are the same object graph and encode alike.
 */
export function canonicalTx(tx: KvTx): KvTx {
  const ops = tx.ops.map(canonicalOp);
  const reads = sortedUnique(tx.reads);
  const writes = sortedUnique(tx.writes);
  return tx.nonce === undefined
    ? { kind: "kv", ops, reads, writes }
    : { kind: "kv", nonce: tx.nonce, ops, reads, writes };
}

function canonicalOp(op: KvOp): KvOp {
  switch (op.op) {
    case "put":
      return { key: op.key, op: "put", value: op.value };
    case "delete":
      return { key: op.key, op: "delete" };
    case "increment":
      return op.by === undefined || op.by === 1
        ? { key: op.key, op: "increment" }
        : { by: op.by, key: op.key, op: "increment" };
    case "cas":
      return { expect: op.expect, key: op.key, op: "cas", value: op.value };
  }
}

function sortedUnique(keys: readonly string[]): string[] {
  const sorted = [...keys].sort(compareKeys);
  return sorted.filter((key, i) => i === 0 || key !== sorted[i - 1]);
}
