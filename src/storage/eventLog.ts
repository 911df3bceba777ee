import { isSafeHeight, readUint64BE, uint64BE } from "./bytes";
import { packr } from "./codec";
import type { BatchOp, Database } from "./database";
import { badArgument, StorageError } from "./storageError";

/** One state-changing input, e.g. `{ type: "tx", id, order }`. */
export interface LogEntry {
  type: string;
  [field: string]: unknown;
}

export interface LogRecord {
  seq: number;
  entry: LogEntry;
}

/**
 * The log's next seq lives in memory, so two instances on one database would hand out
 * the same seqs; open() therefore returns one shared instance per database.
 */
const instances = new WeakMap<Database, Promise<EventLog>>();

/**
 * Append-only log of state-changing inputs under 8-byte big-endian seqs starting at 1.
 * Seqs are reserved when an append is called, so they follow call order; a write that
 * fails leaves its seqs unused, so readers must expect gaps, never reordering.
 */
export class EventLog {
  readonly #db: Database;
  #lastSeq: number;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(db: Database, lastSeq: number) {
    this.#db = db;
    this.#lastSeq = lastSeq;
  }

  static open(db: Database): Promise<EventLog> {
    let log = instances.get(db);
    if (log === undefined) {
      log = EventLog.#load(db);
      instances.set(db, log);
      log.catch(() => instances.delete(db));
    }
    return log;
  }

  static async #load(db: Database): Promise<EventLog> {
    let lastSeq = 0;
    for await (const [key] of db.entries("log", { reverse: true, limit: 1 })) {
      lastSeq = readUint64BE(key, 0);
    }
    return new EventLog(db, lastSeq);
  }

  /** Seq of the last entry handed out (0 when the log is empty). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /**
   * Reserves seqs and returns the writes instead of performing them, for a caller that
   * puts log entries and other changes (a block commit) into one atomic batch.
   */
  appendOps(entries: readonly LogEntry[]): { ops: BatchOp[]; lastSeq: number } {
    const values = entries.map(encodeEntry);
    const ops: BatchOp[] = values.map((value, i) => ({
      type: "put",
      space: "log",
      key: uint64BE(this.#lastSeq + 1 + i),
      value,
    }));
    this.#lastSeq += values.length;
    return { ops, lastSeq: this.#lastSeq };
  }

  /** Appends entries and returns the seq of the last one. */
  async append(entries: readonly LogEntry[], options: { sync?: boolean } = {}): Promise<number> {
    const { ops, lastSeq } = this.appendOps(entries);
    // Writes go out one after another so a reader never sees a seq before an earlier one.
    const write = this.#tail.then(() => this.#db.batch(ops, { sync: options.sync ?? false }));
    this.#tail = write.catch(() => undefined);
    await write;
    return lastSeq;
  }

  /** Entries with fromSeq <= seq (<= toSeq), in seq order. */
  async *read(fromSeq: number, options: { toSeq?: number } = {}): AsyncGenerator<LogRecord> {
    assertSeq(fromSeq);
    const range: { gte: Uint8Array; lte?: Uint8Array } = { gte: uint64BE(fromSeq) };
    if (options.toSeq !== undefined) {
      assertSeq(options.toSeq);
      range.lte = uint64BE(options.toSeq);
    }
    for await (const [key, value] of this.#db.entries("log", range)) {
      const seq = readUint64BE(key, 0);
      yield { seq, entry: decodeEntry(seq, value) };
    }
  }
}

function encodeEntry(entry: LogEntry): Uint8Array {
  if (!isEntry(entry)) {
    throw badArgument("entry", "must be an object with a string `type`", "append to the event log");
  }
  return packr.pack(entry);
}

function decodeEntry(seq: number, raw: Uint8Array): LogEntry {
  let entry: unknown;
  try {
    entry = packr.unpack(raw);
  } catch {
    entry = undefined;
  }
  if (!isEntry(entry)) {
    throw new StorageError(
      { code: "STORAGE_CORRUPT", reason: "undecodable log entry", seq },
      `Cannot read the event log: entry ${seq} is corrupt`,
    );
  }
  return entry;
}

function isEntry(value: unknown): value is LogEntry {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { type?: unknown }).type === "string"
  );
}

function assertSeq(seq: number): void {
  if (!isSafeHeight(seq)) {
    throw badArgument(`seq ${seq}`, "must be a non-negative safe integer", "read the event log");
  }
}
