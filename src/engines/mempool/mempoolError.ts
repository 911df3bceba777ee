import { NodeError } from "../../errors";

export type MempoolErrorType =
  | { code: "MEMPOOL_FULL"; pending: number; limit: number }
  | { code: "MEMPOOL_BAD_REQUEST"; reason: string };

export class MempoolError extends NodeError<MempoolErrorType> {}
