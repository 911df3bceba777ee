import { canonicalTx } from "./canonicalTx";
import { encodeTx } from "./encodeTx";
import { fieldPath } from "./fieldPath";
import type { KvOp, KvTx } from "./kvTx";
import { parseKeyList } from "./parseKeyList";
import { parseNonce } from "./parseNonce";
import { parseOp } from "./parseOp";
import { readFields } from "./readFields";
import { checkReservedWrites } from "./reservedKeys";
import { malformed, TxError, tooLarge, tooMany } from "./txError";
import { type ResolvedTxLimits, resolveTxLimits, type TxLimits } from "./txLimits";

/**
 * Validates an untrusted transaction (JSON over HTTP, a file, msgpack from a peer) and
 * returns its canonical form: key lists sorted by code point and deduplicated, object
 * fields in sorted order, `by: 1` dropped, so `encodeTx` of the result is the bytes the
 * id hashes.
 *
 * Every op's key must be in `writes`; increment and cas also read the key, so it must be
 * in `reads` too. That is what lets the executor prefetch exactly `reads` before running
 * and schedule by the declared sets alone: an op can never touch an undeclared key.
 */
export function parseTx(input: unknown, limits: TxLimits): KvTx {
  const resolved = resolveTxLimits(limits);
  const fields = readFields(
    input,
    "",
    ["kind", "reads", "writes", "ops", "nonce"],
    ["kind", "reads", "writes", "ops"],
  );
  if (fields.kind !== "kv") throw malformed("kind", 'must be "kv"');
  const reads = parseKeyList(fields.reads, "reads", resolved);
  const writes = parseKeyList(fields.writes, "writes", resolved);
  const ops = parseOps(fields.ops, resolved);
  checkDeclared(ops, new Set(reads), new Set(writes));
  const draft: KvTx = { kind: "kv", reads, writes, ops };
  checkReservedWrites(draft);
  if (fields.nonce !== undefined) draft.nonce = parseNonce(fields.nonce);
  const tx = canonicalTx(draft);
  const size = encodeTx(tx).length;
  if (size > resolved.maxTxBytes) {
    throw tooLarge(size, resolved.maxTxBytes);
  }
  return tx;
}

function parseOps(input: unknown, limits: ResolvedTxLimits): KvOp[] {
  if (!Array.isArray(input)) throw malformed("ops", "must be an array");
  if (input.length === 0) throw malformed("ops", "must list at least one op");
  if (input.length > limits.maxKeys) throw tooMany("ops", input.length, limits.maxKeys);
  return input.map((op, i) => parseOp(op, fieldPath("ops", i), limits.maxKeyBytes));
}

function checkDeclared(ops: readonly KvOp[], reads: Set<string>, writes: Set<string>): void {
  ops.forEach((op, i) => {
    if (!writes.has(op.key)) throw undeclared(op.key, i, "writes");
    if ((op.op === "increment" || op.op === "cas") && !reads.has(op.key)) {
      throw undeclared(op.key, i, "reads");
    }
  });
}

function undeclared(key: string, op: number, list: "reads" | "writes"): TxError {
  return new TxError(
    { code: "TX_UNDECLARED_KEY", path: fieldPath(fieldPath("ops", op), "key"), key, list, op },
    `Cannot accept transaction: ${list} must list key ${JSON.stringify(key)} because op ${op} ${list} it`,
  );
}
