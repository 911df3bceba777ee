export type { BlockCommit, BlockWrite } from "./blockOps";
export type { Checkpoint } from "./checkpoint";
export type { BatchOp, Database, Space } from "./database";
export { EventLog, type LogEntry, type LogRecord } from "./eventLog";
export { exportSnapshot } from "./exportSnapshot";
export { importSnapshot } from "./importSnapshot";
export { DEFAULT_READ_TIMEOUT_MS, MAX_KEY_BYTES, MAX_VALUE_BYTES } from "./limits";
export { type OpenDatabaseOptions, openDatabase } from "./openDatabase";
export { defaultVersionedStoreOptions, type VersionedStoreOptions } from "./options";
export {
  MAX_SNAPSHOT_KEY_BYTES,
  MAX_SNAPSHOT_VALUE_BYTES,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_MAGIC,
  type SnapshotInfo,
} from "./snapshotFormat";
export { StorageError, type StorageErrorCode, type StorageErrorType } from "./storageError";
export {
  type HistoryOptions,
  type ReadOptions,
  type Version,
  VersionedStore,
} from "./versionedStore";
