import type { KvTx } from "./kvTx";
import { malformed } from "./txError";

/** Keys under this prefix are the node's own: a transaction writes them only as below. */
export const RESERVED_KEY_PREFIX = "anode/";
/** A chain's validator schedule, written only by a signed validator change. */
export const VALIDATORS_KEY = "anode/validators";

export const isReserved = (key: string): boolean => key.startsWith(RESERVED_KEY_PREFIX);

/**
 * A transaction that writes a reserved key must be a validator change and nothing else:
 * one put of `anode/validators` (its value is checked when the block runs, against the
 * validators in effect then). Reading reserved keys is open to every transaction.
 */
export function checkReservedWrites(tx: KvTx): void {
  if (!tx.writes.some(isReserved)) return;
  const [op, ...rest] = tx.ops;
  if (
    rest.length > 0 ||
    op === undefined ||
    op.op !== "put" ||
    op.key !== VALIDATORS_KEY ||
    tx.writes.length !== 1
  )
    throw malformed(
      "writes",
      `may name keys under ${RESERVED_KEY_PREFIX} only as one put of ${VALIDATORS_KEY} (a validator change, see anode validators)`,
    );
  if (typeof op.value !== "string")
    throw malformed("ops.0.value", "must be the change as JSON text");
}
