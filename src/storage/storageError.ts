import { NodeError } from "../errors";

/** Every failure the storage layer raises on purpose, each code with its own metadata. */
export type StorageErrorType =
  | { code: "STORAGE_LOCKED"; dir: string }
  | { code: "STORAGE_CORRUPT"; reason: string; dir?: string; seq?: number }
  | { code: "STORAGE_OPEN_FAILED"; dir: string; reason: string }
  | { code: "STORAGE_CLOSED" }
  | { code: "STORAGE_IN_USE"; dir: string }
  | { code: "STORAGE_BAD_KEY"; key: string; reason: string }
  | { code: "STORAGE_BAD_WRITE"; key: string; index: number; reason: string }
  | { code: "STORAGE_BAD_POSITION"; height: number; reason: string }
  | { code: "STORAGE_BAD_ARGUMENT"; argument: string; reason: string }
  | { code: "STORAGE_HEIGHT_GAP"; height: number; expected: number }
  | { code: "STORAGE_READ_TIMEOUT"; key: string; at: number; height: number; timeoutMs: number }
  | { code: "STORAGE_NOT_EMPTY"; reason: string }
  | { code: "STORAGE_BAD_SNAPSHOT"; file: string; reason: string };

export type StorageErrorCode = StorageErrorType["code"];

export class StorageError extends NodeError<StorageErrorType> {}

/** The one error every operation on a closed store or database raises. */
export function closedError(): StorageError {
  return new StorageError({ code: "STORAGE_CLOSED" }, "Cannot use storage: the database is closed");
}

/** For arguments with no more specific code: seqs, limits, timeouts, block fields. */
export function badArgument(argument: string, reason: string, action: string): StorageError {
  return new StorageError(
    { code: "STORAGE_BAD_ARGUMENT", argument, reason },
    `Cannot ${action}: ${argument} ${reason}`,
  );
}
