import { readdir } from "node:fs/promises";
import { ClassicLevel } from "classic-level";
import { Database } from "./database";
import { META_FORMAT, STORAGE_FORMAT_VERSION } from "./metaKeys";
import { StorageError } from "./storageError";

export interface OpenDatabaseOptions {
  /** The LevelDB class; the packaged binary passes its own so the app never loads native code. */
  Level?: typeof ClassicLevel;
}

/** Files LevelDB may leave behind before it writes CURRENT (a crash during creation). */
const LEVELDB_STARTUP_FILES = new Set(["LOCK", "LOG", "LOG.old"]);

/** Opens (creating if missing) the node's database at `dir`. */
export async function openDatabase(
  dir: string,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  await refuseForeignDirectory(dir);
  const Level = options.Level ?? ClassicLevel;
  const level = new Level<Uint8Array, Uint8Array>(dir, {
    keyEncoding: "view",
    valueEncoding: "view",
    createIfMissing: true,
  });
  try {
    await level.open();
  } catch (err) {
    throw openError(dir, err);
  }
  const db = new Database(dir, level);
  try {
    await checkFormat(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** LevelDB would happily create its files among someone else's; refuse instead. */
async function refuseForeignDirectory(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return; // Missing (LevelDB creates it) or not a directory (open reports it).
  }
  if (names.includes("CURRENT")) return;
  if (names.every((name) => LEVELDB_STARTUP_FILES.has(name))) return;
  throw corrupt(dir, "the directory is not empty and holds no LevelDB database");
}

async function checkFormat(db: Database): Promise<void> {
  const stored = await db.get("meta", META_FORMAT);
  if (stored === undefined) {
    if (!(await db.isEmpty())) {
      throw corrupt(db.dir, "it holds a LevelDB database that anode did not create");
    }
    await db.batch(
      [
        {
          type: "put",
          space: "meta",
          key: META_FORMAT,
          value: Uint8Array.of(STORAGE_FORMAT_VERSION),
        },
      ],
      { sync: true },
    );
    return;
  }
  if (stored.length !== 1 || stored[0] !== STORAGE_FORMAT_VERSION) {
    throw corrupt(db.dir, `its storage format (${Array.from(stored).join(".")}) is not supported`);
  }
}

function openError(dir: string, err: unknown): StorageError {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = cause?.code ?? (err as { code?: unknown }).code;
  const reason = String(cause?.message ?? (err as { message?: unknown }).message ?? err);
  if (code === "LEVEL_LOCKED") {
    return new StorageError(
      { code: "STORAGE_LOCKED", dir },
      `Cannot open database at ${dir}: it is locked by another process (is another node running on this data directory?)`,
      { cause: err },
    );
  }
  if (code === "LEVEL_CORRUPTION" || (code === "LEVEL_IO_ERROR" && /No such file/i.test(reason))) {
    return corrupt(dir, reason, err);
  }
  if (code === "EEXIST" || code === "ENOTDIR") {
    return new StorageError(
      { code: "STORAGE_OPEN_FAILED", dir, reason: "the path is not a directory" },
      `Cannot open database at ${dir}: the path is not a directory`,
      { cause: err },
    );
  }
  return new StorageError(
    { code: "STORAGE_OPEN_FAILED", dir, reason },
    `Cannot open database at ${dir}: ${reason}`,
    { cause: err },
  );
}

function corrupt(dir: string, reason: string, cause?: unknown): StorageError {
  return new StorageError(
    { code: "STORAGE_CORRUPT", dir, reason },
    `Cannot open database at ${dir}: it is corrupt or not an anode database (${reason})`,
    { cause },
  );
}
