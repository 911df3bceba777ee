import { compareKeys } from "./compareKeys";
import { describeType, describeValue } from "./describeValue";
import type { KvOp, KvTx, KvValue } from "./kvTx";
import { valueEquals } from "./valueEquals";

/** `value: undefined` deletes the key. */
export interface KvWrite {
  key: string;
  value: KvValue | undefined;
}

/** `op` is the index of the op that aborted the transaction. */
export type KvResult = { ok: true; writes: KvWrite[] } | { ok: false; error: string; op: number };

/**
 * Runs a parsed transaction against a synchronous view of state. Ops apply in order to a
 * local overlay, so a later op sees an earlier one's effect; the first failing op aborts
 * the whole transaction and nothing is written.
 *
 * `read` is only ever called with keys in `tx.reads` (parseTx guarantees every reading op
 * declares its key), so an executor can prefetch those keys asynchronously and pass a map
 * lookup. The writes come out once per key written, sorted by key, holding each key's final
 * value.
 */
export function executeKv(tx: KvTx, read: (key: string) => KvValue | undefined): KvResult {
  const overlay = new Map<string, KvValue | undefined>();
  const current = (key: string) => (overlay.has(key) ? overlay.get(key) : read(key));
  for (const [index, op] of tx.ops.entries()) {
    const outcome = applyOp(op, current);
    if (typeof outcome === "string") return { ok: false, error: outcome, op: index };
    overlay.set(op.key, outcome.value);
  }
  const writes = [...overlay].map(([key, value]) => ({ key, value }));
  return { ok: true, writes: writes.sort((a, b) => compareKeys(a.key, b.key)) };
}

/** The key's new value, or why the op fails. */
function applyOp(
  op: KvOp,
  current: (key: string) => KvValue | undefined,
): { value: KvValue | undefined } | string {
  switch (op.op) {
    case "put":
      return { value: op.value };
    case "delete":
      return { value: undefined };
    case "increment": {
      const found = current(op.key) ?? 0;
      if (typeof found !== "number") {
        return `Cannot increment ${JSON.stringify(op.key)}: value is ${describeType(found)}`;
      }
      // A counter past 2^53 silently stops counting, so refuse instead of rounding.
      if (!Number.isSafeInteger(found)) {
        return `Cannot increment ${JSON.stringify(op.key)}: value ${found} is not a safe integer`;
      }
      const next = found + (op.by ?? 1);
      if (!Number.isSafeInteger(next)) {
        return `Cannot increment ${JSON.stringify(op.key)}: the result would leave the safe integer range`;
      }
      return { value: next };
    }
    case "cas": {
      const found = current(op.key);
      const matches =
        op.expect === null
          ? found === undefined
          : found !== undefined && valueEquals(found, op.expect);
      if (!matches) {
        return `compare-and-set failed on ${JSON.stringify(op.key)}: expected ${describeValue(op.expect ?? undefined)}, found ${describeValue(found)}`;
      }
      return { value: op.value };
    }
  }
}
