/** Where a block put a transaction. */
export interface TxPosition {
  height: number;
  index: number;
}

/** `error` is present exactly when `ok` is false. */
type Outcome = TxPosition & ({ ok: true } | { ok: false; error: string });

export type TxStatus =
  | { state: "pending" }
  | ({ state: "ordered" } & TxPosition)
  | ({ state: "executed" } & Outcome)
  | ({ state: "committed" } & Outcome);

export type TxState = TxStatus["state"];
