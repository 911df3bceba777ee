import { type BlockCommit, blockOps, encodeAuxKey } from "./blockOps";
import { isSafeHeight, uint64BE } from "./bytes";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from "./checkpoint";
import type { BatchOp, Database, RangeOptions } from "./database";
import {
  assertHeight,
  dataKey,
  decodeDataKey,
  decodeUserKey,
  encodeUserKey,
  isIndex,
  MAX_INDEX,
  versionsEnd,
  versionsStart,
} from "./dataKey";
import { EventLog } from "./eventLog";
import { HeightWaiters } from "./heightWaiters";
import { DEFAULT_READ_TIMEOUT_MS } from "./limits";
import { META_CHECKPOINT, META_IMPORT } from "./metaKeys";
import { defaultVersionedStoreOptions, type VersionedStoreOptions } from "./options";
import { scanLiveState } from "./scanLiveState";
import { addTerm, EMPTY_ROOT, rootFromHex, rootTerm, rootToHex, subtractTerm } from "./stateRoot";
import { badArgument, closedError, StorageError } from "./storageError";
import { claimDatabase, releaseDatabase } from "./storeRegistry";
import { decodeVersion } from "./versionValue";

export interface Version {
  height: number;
  index: number;
  value: Uint8Array | undefined;
}

export interface ReadOptions {
  timeoutMs?: number;
}

export interface HistoryOptions {
  limit?: number;
}

/**
 * Append-only, versioned key-value state. A version lives at a position (height, index):
 * the block and the transaction inside it. Reads name a height and see the newest version
 * at or below it; a block commit is one atomic batch that also moves the checkpoint.
 */
export class VersionedStore {
  readonly #db: Database;
  readonly #log: EventLog;
  readonly #options: VersionedStoreOptions;
  readonly #waiters = new HeightWaiters();
  readonly #removeCloseHook: () => void;
  #checkpoint: Checkpoint | undefined;
  #root: bigint;
  #closed = false;
  /** Commits and expunges run one at a time: each starts from the previous one's root. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    db: Database,
    log: EventLog,
    options: VersionedStoreOptions,
    checkpoint: Checkpoint | undefined,
  ) {
    this.#db = db;
    this.#log = log;
    this.#options = options;
    this.#checkpoint = checkpoint;
    this.#root = checkpoint === undefined ? EMPTY_ROOT : (rootFromHex(checkpoint.root) as bigint);
    this.#removeCloseHook = db.onClose(() => this.#shutdown());
  }

  static async open(
    db: Database,
    options: Partial<VersionedStoreOptions> = {},
  ): Promise<VersionedStore> {
    if (db.closed) throw closedError();
    // Claimed before the first await, so two concurrent opens cannot both succeed.
    if (!claimDatabase(db)) {
      throw new StorageError(
        { code: "STORAGE_IN_USE", dir: db.dir },
        `Cannot open the state at ${db.dir}: a store is already open on this database`,
      );
    }
    try {
      if ((await db.get("meta", META_IMPORT)) !== undefined) {
        throw new StorageError(
          { code: "STORAGE_CORRUPT", dir: db.dir, reason: "interrupted snapshot import" },
          `Cannot open the state at ${db.dir}: a snapshot import was interrupted and left partial state; import the snapshot again`,
        );
      }
      const log = await EventLog.open(db);
      const raw = await db.get("meta", META_CHECKPOINT);
      const checkpoint = raw === undefined ? undefined : decodeCheckpoint(raw);
      const store = new VersionedStore(
        db,
        log,
        { ...defaultVersionedStoreOptions, ...options },
        checkpoint,
      );
      if (store.#options.verifyOnOpen) {
        const problem = await store.#verify();
        if (problem !== undefined) {
          await store.close();
          throw new StorageError(
            { code: "STORAGE_CORRUPT", dir: db.dir, reason: "state root mismatch" },
            `Cannot open the state at ${db.dir}: ${problem}`,
          );
        }
      }
      return store;
    } catch (err) {
      releaseDatabase(db);
      throw err;
    }
  }

  /** Checks the checkpoint's root against a full scan and against the head index. */
  async #verify(): Promise<string | undefined> {
    const scanned = await this.computeRoot();
    if (scanned !== this.root) {
      return `the checkpoint's root ${this.root} does not match the stored state's root ${scanned}`;
    }
    let indexed = EMPTY_ROOT;
    for await (const [, term] of this.#db.entries("head")) indexed = addTerm(indexed, term);
    if (rootToHex(indexed) !== this.root) {
      return `the head index gives root ${rootToHex(indexed)}, not the checkpoint's ${this.root}`;
    }
    return undefined;
  }

  /** The last committed block height (0 when nothing is committed). */
  get height(): number {
    return this.#checkpoint?.height ?? 0;
  }

  /** The state root of the live state, as 64 hex digits. */
  get root(): string {
    return rootToHex(this.#root);
  }

  /** The event log this store appends its own operations (expunge) to. */
  get log(): EventLog {
    return this.#log;
  }

  lastCheckpoint(): Checkpoint | undefined {
    return this.#checkpoint === undefined ? undefined : { ...this.#checkpoint };
  }

  /**
   * The newest value of `key` at or below height `at` (default: the committed height).
   * A height not committed yet is waited for, up to `timeoutMs`.
   */
  async read(key: string, at?: number, options: ReadOptions = {}): Promise<Uint8Array | undefined> {
    this.#assertOpen();
    const keyBytes = encodeUserKey(key);
    const height = at ?? this.height;
    assertHeight(height);
    if (height > this.height) {
      const timeoutMs = options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
      if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
        throw badArgument("timeoutMs", "must be a non-negative number", "read");
      }
      await this.#waiters.wait(
        height,
        timeoutMs,
        () =>
          new StorageError(
            { code: "STORAGE_READ_TIMEOUT", key, at: height, height: this.height, timeoutMs },
            `Cannot read ${JSON.stringify(key)} at height ${height}: the store is still at height ${this.height} after ${timeoutMs} ms`,
          ),
      );
    }
    return this.#newest(keyBytes, { lte: dataKey(keyBytes, height, MAX_INDEX) });
  }

  /** The newest value strictly before position (height, index). Never waits. */
  async readBefore(key: string, height: number, index: number): Promise<Uint8Array | undefined> {
    this.#assertOpen();
    const keyBytes = encodeUserKey(key);
    assertHeight(height);
    if (!isIndex(index)) {
      throw new StorageError(
        { code: "STORAGE_BAD_POSITION", height, reason: `index ${index} is not a uint32` },
        `Cannot read before index ${index}: it must be an integer in [0, 2^32 - 1]`,
      );
    }
    return this.#newest(keyBytes, { lt: dataKey(keyBytes, height, index) });
  }

  /** Every version of `key`, newest first; tombstones have `value: undefined`. */
  async history(key: string, options: HistoryOptions = {}): Promise<Version[]> {
    this.#assertOpen();
    const keyBytes = encodeUserKey(key);
    const range: RangeOptions = {
      gte: versionsStart(keyBytes),
      lt: versionsEnd(keyBytes),
      reverse: true,
    };
    if (options.limit !== undefined) {
      if (!isSafeHeight(options.limit)) {
        throw badArgument("limit", "must be a non-negative integer", "read history");
      }
      if (options.limit === 0) return [];
      range.limit = options.limit;
    }
    const versions: Version[] = [];
    for await (const [raw, stored] of this.#db.entries("data", range)) {
      const { height, index } = decodeDataKey(raw);
      versions.push({ height, index, value: decodeVersion(stored) });
    }
    return versions;
  }

  /** The live state at `at` (default: committed height), in key byte order. */
  entries(at?: number): AsyncGenerator<{ key: string; value: Uint8Array }> {
    // Validated here, not inside the generator, so a bad height throws at the call.
    return this.#entries(this.#committedHeight(at, "scan the state"));
  }

  /** Recomputes the root at `at` from a full scan; the committed root must equal it. */
  async computeRoot(at?: number): Promise<string> {
    const height = this.#committedHeight(at, "compute the state root");
    let root = EMPTY_ROOT;
    for await (const { key, value } of scanLiveState(this.#db, height)) {
      root = addTerm(root, rootTerm(key, value));
    }
    return rootToHex(root);
  }

  /**
   * Commits block `height` (the committed height + 1; a fresh store also takes 0, the
   * genesis state) in one atomic batch: versions, record, aux entries, extra ops and
   * the new checkpoint. Reads waiting for the height resolve once it is durable.
   */
  commitBlock(block: BlockCommit): Promise<Checkpoint> {
    return this.#exclusive(() => this.#commit(block));
  }

  async getBlockRecord(height: number): Promise<Uint8Array | undefined> {
    this.#assertOpen();
    assertHeight(height);
    return this.#db.get("blocks", uint64BE(height));
  }

  async getAux(key: string): Promise<Uint8Array | undefined> {
    this.#assertOpen();
    return this.#db.get("aux", encodeAuxKey(key));
  }

  /** Several aux entries in one LevelDB round trip, in the order of `keys`. */
  async getAuxMany(keys: readonly string[]): Promise<Array<Uint8Array | undefined>> {
    this.#assertOpen();
    if (keys.length === 0) return [];
    return this.#db.getMany("aux", keys.map(encodeAuxKey));
  }

  /**
   * Removes every version of `key` (history included), a rare destructive operation. It
   * is logged as its own event log entry, in the same batch, and the checkpoint moves to
   * that entry so a replay from the checkpoint does not need to know about it.
   */
  expunge(key: string, reason: string): Promise<number> {
    return this.#exclusive(async () => {
      this.#assertOpen();
      const keyBytes = encodeUserKey(key);
      if (typeof reason !== "string" || reason.length === 0) {
        throw badArgument("reason", "must be a non-empty string", `expunge ${JSON.stringify(key)}`);
      }
      const doomed: Uint8Array[] = [];
      let live: Uint8Array | undefined;
      const range = { gte: versionsStart(keyBytes), lt: versionsEnd(keyBytes) };
      for await (const [raw, stored] of this.#db.entries("data", range)) {
        doomed.push(raw);
        live = decodeVersion(stored); // Ascending, so the last one is the live version.
      }
      if (doomed.length === 0) return 0;
      const root =
        live === undefined ? this.#root : subtractTerm(this.#root, rootTerm(keyBytes, live));
      const time = Date.now();
      const logged = this.#log.appendOps([{ type: "expunge", key, reason, time }]);
      const checkpoint: Checkpoint = {
        height: this.height,
        root: rootToHex(root),
        logSeq: logged.lastSeq,
        time,
      };
      const ops: BatchOp[] = doomed.map((raw) => ({ type: "del", space: "data", key: raw }));
      ops.push(
        { type: "del", space: "head", key: keyBytes },
        ...logged.ops,
        checkpointOp(checkpoint),
      );
      await this.#db.batch(ops, { sync: this.#options.syncCommits });
      this.#checkpoint = checkpoint;
      this.#root = root;
      return doomed.length;
    });
  }

  /** Stops the store (not the database): pending reads reject with STORAGE_CLOSED. */
  async close(): Promise<void> {
    this.#shutdown();
    await this.#queue;
  }

  async #commit(block: BlockCommit): Promise<Checkpoint> {
    this.#assertOpen();
    const height = block.height;
    assertHeight(height);
    const expected = this.#checkpoint === undefined && height === 0 ? 0 : this.height + 1;
    if (height !== expected) {
      throw new StorageError(
        { code: "STORAGE_HEIGHT_GAP", height, expected },
        `Cannot commit block ${height}: the store is at height ${this.height}, so the next block is ${this.height + 1}`,
      );
    }
    const { ops, live } = blockOps(block);

    // The head index holds each live key's current term, so no version needs reading.
    const previous = await this.#db.getMany(
      "head",
      live.map((w) => w.keyBytes),
    );
    let root = this.#root;
    live.forEach((w, i) => {
      const old = previous[i];
      if (old !== undefined) root = subtractTerm(root, old);
      if (w.value === undefined) {
        if (old !== undefined) ops.push({ type: "del", space: "head", key: w.keyBytes });
        return;
      }
      const term = rootTerm(w.keyBytes, w.value);
      root = addTerm(root, term);
      ops.push({ type: "put", space: "head", key: w.keyBytes, value: term });
    });

    const checkpoint: Checkpoint = {
      height,
      root: rootToHex(root),
      logSeq: block.logSeq,
      time: block.time,
    };
    ops.push(checkpointOp(checkpoint));
    await this.#db.batch(ops, { sync: this.#options.syncCommits });
    this.#checkpoint = checkpoint;
    this.#root = root;
    this.#waiters.release(height);
    return { ...checkpoint };
  }

  async *#entries(height: number): AsyncGenerator<{ key: string; value: Uint8Array }> {
    for await (const { key, value } of scanLiveState(this.#db, height)) {
      yield { key: decodeUserKey(key), value };
    }
  }

  async #newest(
    keyBytes: Uint8Array,
    upper: { lt: Uint8Array } | { lte: Uint8Array },
  ): Promise<Uint8Array | undefined> {
    const range = { gte: versionsStart(keyBytes), ...upper, reverse: true, limit: 1 };
    for await (const [, stored] of this.#db.entries("data", range)) return decodeVersion(stored);
    return undefined;
  }

  #committedHeight(at: number | undefined, action: string): number {
    this.#assertOpen();
    const height = at ?? this.height;
    assertHeight(height);
    if (height > this.height) {
      throw new StorageError(
        { code: "STORAGE_BAD_POSITION", height, reason: "not committed yet" },
        `Cannot ${action} at height ${height}: the store is at height ${this.height}`,
      );
    }
    return height;
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #shutdown(): void {
    if (this.#closed) return;
    this.#closed = true;
    releaseDatabase(this.#db);
    this.#removeCloseHook();
    this.#waiters.rejectAll(closedError());
  }

  #assertOpen(): void {
    if (this.#closed || this.#db.closed) throw closedError();
  }
}

function checkpointOp(checkpoint: Checkpoint): BatchOp {
  return { type: "put", space: "meta", key: META_CHECKPOINT, value: encodeCheckpoint(checkpoint) };
}
