import { createHash } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";
import { ByteReader } from "./byteReader";
import { compareBytes } from "./bytes";
import { encodeCheckpoint } from "./checkpoint";
import { packr } from "./codec";
import type { BatchOp, Database } from "./database";
import { dataKey, tryEncodeUserKey } from "./dataKey";
import { META_CHECKPOINT, META_IMPORT } from "./metaKeys";
import {
  decodeSnapshotHeader,
  MAX_SNAPSHOT_ENTRY_BYTES,
  MAX_SNAPSHOT_VALUE_BYTES,
  SNAPSHOT_HEADER_BYTES,
  SNAPSHOT_TRAILER_BYTES,
  type SnapshotInfo,
} from "./snapshotFormat";
import { addTerm, EMPTY_ROOT, rootTerm, rootToHex } from "./stateRoot";
import { closedError, StorageError } from "./storageError";
import { hasOpenStore } from "./storeRegistry";
import { encodeVersion } from "./versionValue";

/** Length prefix, array header, a one-byte key and an empty binary. */
const MIN_SNAPSHOT_ENTRY_BYTES = 4 + 1 + 2 + 2;
const IMPORT_BATCH_ENTRIES = 1000;
const IMPORT_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Loads a snapshot into an empty database: every entry becomes a version at the
 * snapshot's height (index 0), with a checkpoint at that height and log seq 0. Entries
 * are written in batches while the file streams in, under an "import in progress" marker
 * that VersionedStore.open refuses; any failure clears what was written, so a failed
 * import leaves the database empty (or, after a crash, marked for a fresh import).
 */
export async function importSnapshot(file: string, db: Database): Promise<SnapshotInfo> {
  if (db.closed) throw closedError();
  if (hasOpenStore(db)) {
    throw new StorageError(
      { code: "STORAGE_IN_USE", dir: db.dir },
      `Cannot import a snapshot into ${db.dir}: a store is open on it; import before opening the store`,
    );
  }
  const interrupted = (await db.get("meta", META_IMPORT)) !== undefined;
  await assertEmpty(db, interrupted);

  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (err) {
    throw badSnapshot(file, `it cannot be opened (${(err as { code?: string }).code ?? err})`, err);
  }
  let marked = false;
  try {
    const bytes = (await handle.stat()).size;
    const reader = new ByteReader(handle);
    const hash = createHash("sha256");
    const fail = (reason: string): never => {
      throw badSnapshot(file, reason);
    };

    const headerBytes =
      (await reader.readExact(SNAPSHOT_HEADER_BYTES)) ??
      fail("it is shorter than a snapshot header");
    hash.update(headerBytes);
    const header = decodeSnapshotHeader(headerBytes);
    if (typeof header === "string") return fail(header);
    const room = bytes - SNAPSHOT_HEADER_BYTES - SNAPSHOT_TRAILER_BYTES;
    if (header.entries * MIN_SNAPSHOT_ENTRY_BYTES > room) {
      fail(`it is truncated: its header announces ${header.entries} entries`);
    }

    if (interrupted) await clearState(db);
    await db.batch(
      [
        {
          type: "put",
          space: "meta",
          key: META_IMPORT,
          value: packr.pack({ file, height: header.height }),
        },
      ],
      { sync: true },
    );
    marked = true;

    let root = EMPTY_ROOT;
    let previousKey: Uint8Array | undefined;
    let ops: BatchOp[] = [];
    let opsBytes = 0;
    for (let i = 0; i < header.entries; i++) {
      const lengthBytes = (await reader.readExact(4)) ?? fail(`it is truncated at entry ${i}`);
      hash.update(lengthBytes);
      const length = new DataView(lengthBytes.buffer).getUint32(0);
      if (length > MAX_SNAPSHOT_ENTRY_BYTES) {
        fail(`entry ${i} is ${length} bytes, over the limit of ${MAX_SNAPSHOT_ENTRY_BYTES}`);
      }
      const body = (await reader.readExact(length)) ?? fail(`it is truncated at entry ${i}`);
      hash.update(body);
      const entry = decodeEntry(body);
      if (typeof entry === "string") return fail(`entry ${i} ${entry}`);
      if (previousKey !== undefined && compareBytes(previousKey, entry.key) >= 0) {
        fail(`entry ${i} is not in ascending key order`);
      }
      previousKey = entry.key;
      const term = rootTerm(entry.key, entry.value);
      root = addTerm(root, term);
      ops.push(
        {
          type: "put",
          space: "data",
          key: dataKey(entry.key, header.height, 0),
          value: encodeVersion(entry.value),
        },
        { type: "put", space: "head", key: entry.key, value: term },
      );
      opsBytes += length;
      if (ops.length >= IMPORT_BATCH_ENTRIES || opsBytes >= IMPORT_BATCH_BYTES) {
        await db.batch(ops);
        ops = [];
        opsBytes = 0;
      }
    }
    await db.batch(ops);

    const trailer =
      (await reader.readExact(SNAPSHOT_TRAILER_BYTES)) ??
      fail("it is truncated before its checksum");
    if (Buffer.compare(trailer, hash.digest()) !== 0) {
      fail("its checksum does not match its contents (the file is damaged or was altered)");
    }
    if (!(await reader.atEnd())) fail("it has data after its checksum");
    if (rootToHex(root) !== header.root) {
      fail(`its entries give state root ${rootToHex(root)}, not ${header.root} as its header says`);
    }

    const checkpoint = { height: header.height, root: header.root, logSeq: 0, time: Date.now() };
    await db.batch(
      [
        { type: "del", space: "meta", key: META_IMPORT },
        { type: "put", space: "meta", key: META_CHECKPOINT, value: encodeCheckpoint(checkpoint) },
      ],
      { sync: true },
    );
    return { height: header.height, root: header.root, entries: header.entries, bytes };
  } catch (err) {
    if (marked) await rollBack(db);
    throw err;
  } finally {
    await handle.close();
  }
}

async function assertEmpty(db: Database, interrupted: boolean): Promise<void> {
  const spaces = interrupted
    ? (["log", "blocks", "aux"] as const)
    : (["data", "head", "log", "blocks", "aux"] as const);
  for (const space of spaces) {
    if (!(await db.isEmpty(space))) throw notEmpty(db, `its ${space} space holds entries`);
  }
  if ((await db.get("meta", META_CHECKPOINT)) !== undefined) {
    throw notEmpty(db, "it has committed state");
  }
}

/** Best effort: if this fails too, the marker stays and the next import starts over. */
async function rollBack(db: Database): Promise<void> {
  try {
    await clearState(db);
    await db.batch([{ type: "del", space: "meta", key: META_IMPORT }], { sync: true });
  } catch {
    // The marker makes VersionedStore.open refuse the partial state.
  }
}

async function clearState(db: Database): Promise<void> {
  await db.clear("data");
  await db.clear("head");
}

function decodeEntry(body: Uint8Array): { key: Uint8Array; value: Uint8Array } | string {
  let decoded: unknown;
  try {
    decoded = packr.unpack(body);
  } catch {
    return "is not valid MessagePack";
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) return "is not a [key, value] pair";
  const [key, value] = decoded as [unknown, unknown];
  if (typeof key !== "string") return "has a key that is not a string";
  if (!(value instanceof Uint8Array)) return "has a value that is not binary";
  if (value.length > MAX_SNAPSHOT_VALUE_BYTES) {
    return `has a ${value.length}-byte value, over the limit of ${MAX_SNAPSHOT_VALUE_BYTES}`;
  }
  const keyBytes = tryEncodeUserKey(key);
  if (typeof keyBytes === "string") return `has an invalid key: ${keyBytes}`;
  return { key: keyBytes, value };
}

function notEmpty(db: Database, reason: string): StorageError {
  return new StorageError(
    { code: "STORAGE_NOT_EMPTY", reason },
    `Cannot import a snapshot into ${db.dir}: the database is not empty (${reason})`,
  );
}

function badSnapshot(file: string, reason: string, cause?: unknown): StorageError {
  return new StorageError(
    { code: "STORAGE_BAD_SNAPSHOT", file, reason },
    `Cannot import snapshot ${file}: ${reason}`,
    { cause },
  );
}
