export { decodeTx } from "./decodeTx";
export { encodeTx } from "./encodeTx";
export { executeKv, type KvResult, type KvWrite } from "./executeKv";
export type { KvOp, KvTx, KvValue, TxId } from "./kvTx";
export { parseTx } from "./parseTx";
export { partitionLanes } from "./partitionLanes";
export {
  checkReservedWrites,
  isReserved,
  RESERVED_KEY_PREFIX,
  VALIDATORS_KEY,
} from "./reservedKeys";
export { type BlockSchedule, scheduleBlock } from "./scheduleBlock";
export { decodeStatus, encodeStatus } from "./statusCodec";
export { TxError, type TxErrorCode, type TxErrorType } from "./txError";
export { txId, txIdOfEncoding } from "./txId";
export {
  DEFAULT_MAX_KEY_BYTES,
  DEFAULT_MAX_KEYS,
  MAX_NONCE_BYTES,
  type TxLimits,
} from "./txLimits";
export type { TxPosition, TxState, TxStatus } from "./txStatus";
export { decodeValue, encodeValue } from "./valueCodec";
