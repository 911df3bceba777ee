// Message passing between engines and nodes is the runtime's (binary layer); re-exported
// here for the app's wiring.
export {
  Directory,
  type RemoteAccess,
  type RemoteLink,
  Router,
  RouterError,
  ScopedMailer,
} from "../runtime";
export { type Block, blockId, decodeBlock, encodeBlock, MAX_BLOCK_BYTES } from "./consensus/block";
export {
  type ConsensusArgs,
  type ConsensusCall,
  consensusEngine,
  consensusTopic,
} from "./consensus/consensusEngine";
export { COMMIT_SECONDS_BUCKETS, type ConsensusMetrics } from "./consensus/consensusMetrics";
export { decodeAcceptedTx, decodeBlockTxs } from "./consensus/decodeBlockTxs";
export type { SignGuardArgs } from "./consensus/signGuard";
export { type NodeEvents, type NodeTopic, nodeEvent, type TxEventBody } from "./events";
export {
  type BlockRecord,
  type CommittedTx,
  decodeBlockRecord,
  decodeCommittedTx,
  txAuxKey,
} from "./executor/blockRecord";
export { commitBlock } from "./executor/commitBlock";
export { type ExecutorArgs, executorEngine } from "./executor/executorEngine";
export { runLane } from "./executor/runLane";
export { splitDuplicates } from "./executor/splitDuplicates";
export type { ChainContext } from "./executor/systemTx";
export type { LaneItem, TxOutcome } from "./executor/txOutcome";
export { type WorkerArgs, workerEngine } from "./executor/workerEngine";
export { type LoggerArgs, loggerEngine } from "./logger/loggerEngine";
export {
  type MempoolArgs,
  type MempoolCall,
  type MempoolOptions,
  mempoolEngine,
  type PendingTx,
  type SubmitResult,
} from "./mempool/mempoolEngine";
export { MempoolError } from "./mempool/mempoolError";
export type { TxStatus } from "./mempool/txStatus";
export * from "./names";
export {
  type CommitRecord,
  type OrderedBlock,
  type OrderedTx,
  orderingEngine,
} from "./ordering/orderingEngine";
export { routerEngine } from "./router/routerEngine";
export {
  type ReadReply,
  type StorageCall,
  type StorageModule,
  type StorageStatus,
  storageEngine,
} from "./storage/storageEngine";
export {
  type RecentGossip,
  type TransportArgs,
  type TransportCall,
  transportEngine,
} from "./transport/transportEngine";
export * from "./upgrade";
