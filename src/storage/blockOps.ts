import { isSafeHeight, uint64BE } from "./bytes";
import type { BatchOp, Space } from "./database";
import { dataKey, encodeUserKey, isIndex } from "./dataKey";
import { MAX_VALUE_BYTES } from "./limits";
import { badArgument, StorageError } from "./storageError";
import { encodeVersion } from "./versionValue";

/** One write of a block; `value: undefined` writes a tombstone (a delete). */
export interface BlockWrite {
  key: string;
  index: number;
  value: Uint8Array | undefined;
}

export interface BlockCommit {
  height: number;
  writes: readonly BlockWrite[];
  /** The encoded block, kept under its height. */
  record?: Uint8Array;
  /** Small index entries committed with the block, e.g. tx id → status. */
  aux?: ReadonlyArray<readonly [string, Uint8Array]>;
  /** Seq of the last log entry this block's state reflects; replay starts after it. */
  logSeq: number;
  time: number;
  /** Writes to the log, blocks or aux spaces that must land atomically with the block. */
  extraOps?: readonly BatchOp[];
}

/** The value a block leaves live for one key: its write with the highest index. */
export interface LiveWrite {
  keyBytes: Uint8Array;
  index: number;
  value: Uint8Array | undefined;
}

/** The spaces whose consistency the store does not own; state and meta stay its own. */
const EXTRA_OP_SPACES: ReadonlySet<Space> = new Set(["log", "blocks", "aux"]);

const encoder = new TextEncoder();

/**
 * Validates a block (all of it, before anything is written) and returns its batch
 * operations for versions, record, aux entries and extra ops, plus the write per key
 * that is live after it. Height order and state-root bookkeeping are the store's part.
 */
export function blockOps(block: BlockCommit): { ops: BatchOp[]; live: LiveWrite[] } {
  const action = `commit block ${block.height}`;
  if (!isSafeHeight(block.logSeq)) {
    throw badArgument("logSeq", "must be a non-negative safe integer", action);
  }
  if (typeof block.time !== "number" || !Number.isFinite(block.time)) {
    throw badArgument("time", "must be a finite number", action);
  }

  const ops: BatchOp[] = [];
  for (const op of block.extraOps ?? []) {
    if (!EXTRA_OP_SPACES.has(op.space)) {
      throw badArgument("extraOps", "may only write the log, blocks and aux spaces", action);
    }
    ops.push(op);
  }

  const live = new Map<string, LiveWrite>();
  const positions = new Set<string>();
  for (const write of block.writes) {
    const keyBytes = encodeUserKey(write.key);
    checkWrite(write);
    const position = `${write.index}\u0000${write.key}`;
    if (positions.has(position)) throw badWrite(write, "the block writes it twice at this index");
    positions.add(position);
    ops.push({
      type: "put",
      space: "data",
      key: dataKey(keyBytes, block.height, write.index),
      value: encodeVersion(write.value),
    });
    const current = live.get(write.key);
    if (current === undefined || write.index > current.index) {
      live.set(write.key, { keyBytes, index: write.index, value: write.value });
    }
  }

  if (block.record !== undefined) {
    if (!(block.record instanceof Uint8Array)) {
      throw badArgument("record", "must be a Uint8Array", action);
    }
    ops.push({ type: "put", space: "blocks", key: uint64BE(block.height), value: block.record });
  }
  for (const [key, value] of block.aux ?? []) {
    if (!(value instanceof Uint8Array)) {
      throw badArgument(`aux entry ${JSON.stringify(key)}`, "must be a Uint8Array", action);
    }
    ops.push({ type: "put", space: "aux", key: encodeAuxKey(key), value });
  }
  return { ops, live: [...live.values()] };
}

export function encodeAuxKey(key: string): Uint8Array {
  if (typeof key !== "string" || key.length === 0) {
    throw badArgument("aux key", "must be a non-empty string", "use the aux index");
  }
  return encoder.encode(key);
}

function checkWrite(write: BlockWrite): void {
  if (!isIndex(write.index)) throw badWrite(write, "its index is not an integer in [0, 2^32 - 1]");
  if (write.value === undefined) return;
  if (!(write.value instanceof Uint8Array)) {
    throw badWrite(write, "its value is neither a Uint8Array nor undefined");
  }
  if (write.value.length > MAX_VALUE_BYTES) {
    throw badWrite(
      write,
      `its value is ${write.value.length} bytes, over the limit of ${MAX_VALUE_BYTES}`,
    );
  }
}

function badWrite(write: BlockWrite, reason: string): StorageError {
  return new StorageError(
    { code: "STORAGE_BAD_WRITE", key: write.key, index: write.index, reason },
    `Cannot write ${JSON.stringify(write.key)} at index ${write.index}: ${reason}`,
  );
}
