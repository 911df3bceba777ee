import type { KvValue } from "../../tx";

/** What running one transaction of a block produced. */
export interface TxOutcome {
  index: number;
  id: string;
  ok: boolean;
  error?: string;
  writes: Array<{ key: string; value: KvValue | undefined }>;
  /** Already applied earlier: no effects, and the original's status is kept. */
  duplicate?: true;
}

/** A transaction to run, with its position in the block. */
export interface LaneItem {
  index: number;
  id: string;
  tx: import("../../tx").KvTx;
}
