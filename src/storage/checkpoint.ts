import { isSafeHeight } from "./bytes";
import { packr } from "./codec";
import { rootFromHex } from "./stateRoot";
import { StorageError } from "./storageError";

/** What a block commit proves: the state at `height` has `root`, after log entry `logSeq`. */
export interface Checkpoint {
  height: number;
  root: string;
  logSeq: number;
  time: number;
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const { height, root, logSeq, time } = checkpoint;
  return packr.pack({ height, root, logSeq, time });
}

export function decodeCheckpoint(raw: Uint8Array): Checkpoint {
  let value: unknown;
  try {
    value = packr.unpack(raw);
  } catch {
    throw corrupt();
  }
  if (typeof value !== "object" || value === null) throw corrupt();
  const { height, root, logSeq, time } = value as Record<string, unknown>;
  if (
    !isSafeHeight(height) ||
    typeof root !== "string" ||
    rootFromHex(root) === undefined ||
    !isSafeHeight(logSeq) ||
    typeof time !== "number"
  ) {
    throw corrupt();
  }
  return { height, root, logSeq, time };
}

function corrupt(): StorageError {
  return new StorageError(
    { code: "STORAGE_CORRUPT", reason: "malformed checkpoint" },
    "Cannot load the last checkpoint: its record is malformed",
  );
}
