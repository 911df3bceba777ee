import type { TxStatus as KnownTxStatus } from "../../tx";

/** Where a transaction is in the pipeline; `unknown` when this node never saw it. */
export type TxStatus = KnownTxStatus | { state: "unknown" };

/** What the executor reports for each transaction of a block. */
export interface OutcomeStatus {
  id: string;
  index: number;
  ok: boolean;
  error?: string;
  /** A repeat of a transaction committed earlier (only in `committed` reports). */
  duplicate?: boolean;
}

export function outcomeStatus(
  state: "executed" | "committed",
  height: number,
  o: OutcomeStatus,
): TxStatus {
  return o.ok
    ? { state, height, index: o.index, ok: true }
    : { state, height, index: o.index, ok: false, error: o.error ?? "failed" };
}
