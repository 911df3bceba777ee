import { isSafeHeight, readUint64BE, writeUint64BE } from "./bytes";
import { packr } from "./codec";
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from "./limits";

/**
 * A snapshot file:
 *
 *   header   magic "ANODESNP" | format u32 | height u64 | root 32 bytes | entries u64
 *   entries  (length u32 | msgpack [key: string, value: bin]) × entries, keys ascending
 *   trailer  sha256 of header and entries
 *
 * All integers big-endian.
 */
export const SNAPSHOT_MAGIC = "ANODESNP";
export const SNAPSHOT_FORMAT_VERSION = 1;
export const SNAPSHOT_HEADER_BYTES = 8 + 4 + 8 + 32 + 8;
export const SNAPSHOT_TRAILER_BYTES = 32;
export const MAX_SNAPSHOT_KEY_BYTES = MAX_KEY_BYTES;
export const MAX_SNAPSHOT_VALUE_BYTES = MAX_VALUE_BYTES;
/** Array, string and binary headers of one msgpack entry take at most 1 + 3 + 5 bytes. */
export const MAX_SNAPSHOT_ENTRY_BYTES = MAX_SNAPSHOT_KEY_BYTES + MAX_SNAPSHOT_VALUE_BYTES + 9;

export interface SnapshotInfo {
  height: number;
  root: string;
  entries: number;
  /** Size of the snapshot file. */
  bytes: number;
}

export interface SnapshotHeader {
  height: number;
  root: string;
  entries: number;
}

const magicBytes = new TextEncoder().encode(SNAPSHOT_MAGIC);

export function encodeSnapshotHeader(header: SnapshotHeader): Uint8Array {
  const out = new Uint8Array(SNAPSHOT_HEADER_BYTES);
  const view = new DataView(out.buffer);
  out.set(magicBytes, 0);
  view.setUint32(8, SNAPSHOT_FORMAT_VERSION);
  writeUint64BE(out, 12, header.height);
  out.set(Buffer.from(header.root, "hex"), 20);
  writeUint64BE(out, 52, header.entries);
  return out;
}

/** Returns the header, or the reason the bytes are not one. */
export function decodeSnapshotHeader(bytes: Uint8Array): SnapshotHeader | string {
  if (Buffer.compare(bytes.subarray(0, 8), magicBytes) !== 0) {
    return `it does not start with ${SNAPSHOT_MAGIC}`;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    return `its format version ${version} is not supported (expected ${SNAPSHOT_FORMAT_VERSION})`;
  }
  const height = readUint64BE(bytes, 12);
  const entries = readUint64BE(bytes, 52);
  if (!isSafeHeight(height)) return "its height is out of range";
  if (!isSafeHeight(entries)) return "its entry count is out of range";
  const root = Buffer.from(bytes.subarray(20, 52)).toString("hex");
  return { height, root, entries };
}

export function encodeSnapshotEntry(key: string, value: Uint8Array): Uint8Array {
  const body = packr.pack([key, value]);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}
