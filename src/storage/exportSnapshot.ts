import { createHash } from "node:crypto";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { encodeUserKey } from "./dataKey";
import {
  encodeSnapshotEntry,
  encodeSnapshotHeader,
  SNAPSHOT_HEADER_BYTES,
  type SnapshotInfo,
} from "./snapshotFormat";
import { addTerm, EMPTY_ROOT, rootTerm, rootToHex } from "./stateRoot";
import { StorageError } from "./storageError";
import type { VersionedStore } from "./versionedStore";

const WRITE_CHUNK_BYTES = 1024 * 1024;
const HASH_CHUNK_BYTES = 1024 * 1024;

/**
 * Writes the live state at `at` (default: committed height) to `file`. The file appears
 * whole or not at all: it is written to `file.tmp`, flushed, then renamed.
 */
export async function exportSnapshot(
  store: VersionedStore,
  file: string,
  options: { at?: number } = {},
): Promise<SnapshotInfo> {
  const height = options.at ?? store.height;
  const entries = store.entries(height); // Throws for a height not committed yet.
  const temp = `${file}.tmp`;
  const handle = await open(temp, "w+");
  try {
    // The count and root are known only after the scan, so the header is written last.
    await handle.write(new Uint8Array(SNAPSHOT_HEADER_BYTES), 0, SNAPSHOT_HEADER_BYTES, 0);
    let position = SNAPSHOT_HEADER_BYTES;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let count = 0;
    let root = EMPTY_ROOT;
    for await (const { key, value } of entries) {
      const entry = encodeSnapshotEntry(key, value);
      pending.push(entry);
      pendingBytes += entry.length;
      count++;
      root = addTerm(root, rootTerm(encodeUserKey(key), value));
      if (pendingBytes >= WRITE_CHUNK_BYTES) {
        position += await writeAll(handle, Buffer.concat(pending), position);
        pending = [];
        pendingBytes = 0;
      }
    }
    position += await writeAll(handle, Buffer.concat(pending), position);
    const header = { height, root: rootToHex(root), entries: count };
    await writeAll(handle, encodeSnapshotHeader(header), 0);
    const digest = await hashFile(handle, position, file);
    position += await writeAll(handle, digest, position);
    await handle.sync();
    await handle.close();
    await rename(temp, file);
    await syncDirectory(dirname(file));
    return { ...header, bytes: position };
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<number> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(
      bytes,
      written,
      bytes.length - written,
      position + written,
    );
    written += bytesWritten;
  }
  return written;
}

/** Hashes what was written, from disk, so the trailer covers exactly the file's bytes. */
async function hashFile(handle: FileHandle, length: number, file: string): Promise<Uint8Array> {
  const hash = createHash("sha256");
  const buffer = new Uint8Array(HASH_CHUNK_BYTES);
  let position = 0;
  while (position < length) {
    const { bytesRead } = await handle.read(
      buffer,
      0,
      Math.min(buffer.length, length - position),
      position,
    );
    if (bytesRead === 0) {
      const reason = `the file shrank to ${position} bytes while being written`;
      throw new StorageError(
        { code: "STORAGE_BAD_SNAPSHOT", file, reason },
        `Cannot export snapshot to ${file}: ${reason}`,
      );
    }
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest();
}

/** Makes the rename durable; directories cannot be opened for sync on Windows. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Best effort: the file itself is already flushed.
  } finally {
    await handle?.close();
  }
}
