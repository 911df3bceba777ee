import { compareBytes, isSafeHeight, readUint64BE, writeUint64BE } from "./bytes";
import { MAX_KEY_BYTES } from "./limits";
import { StorageError } from "./storageError";

/**
 * A version of a user key is stored under `key ‖ 0x00 ‖ height (8 bytes BE) ‖ index
 * (4 bytes BE)`. User keys may not contain 0x00, so the separator sorts below every byte
 * that could continue a longer key: all versions of "a" sort before any version of "ab",
 * and LevelDB's order is exactly (key, height, index).
 */
const SEPARATOR = 0x00;
const POSITION_BYTES = 12;
export const MAX_INDEX = 0xffff_ffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Validates a user key and returns its UTF-8 bytes. */
export function encodeUserKey(key: string): Uint8Array {
  const result = tryEncodeUserKey(key);
  if (typeof result === "string") {
    const shown = String(key).length > 64 ? `${String(key).slice(0, 64)}…` : String(key);
    throw new StorageError(
      { code: "STORAGE_BAD_KEY", key: shown, reason: result },
      `Cannot use key ${JSON.stringify(shown)}: ${result}`,
    );
  }
  return result;
}

/** The key's UTF-8 bytes, or the reason it is not a valid key. */
export function tryEncodeUserKey(key: string): Uint8Array | string {
  if (typeof key !== "string") return "it is not a string";
  if (key.length === 0) return "it is empty";
  const bytes = encoder.encode(key);
  if (bytes.includes(SEPARATOR)) return "it contains a NUL character";
  // Lone surrogates encode as U+FFFD, so two different strings would share one key.
  if (decoder.decode(bytes) !== key) return "it is not well-formed Unicode";
  if (bytes.length > MAX_KEY_BYTES) {
    return `it is ${bytes.length} bytes, over the limit of ${MAX_KEY_BYTES}`;
  }
  return bytes;
}

export function decodeUserKey(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function assertHeight(height: number): void {
  if (!isSafeHeight(height)) {
    throw new StorageError(
      { code: "STORAGE_BAD_POSITION", height, reason: "not a non-negative safe integer" },
      `Cannot use height ${height}: it must be a non-negative safe integer`,
    );
  }
}

export function isIndex(index: unknown): index is number {
  return typeof index === "number" && Number.isInteger(index) && index >= 0 && index <= MAX_INDEX;
}

export function dataKey(key: Uint8Array, height: number, index: number): Uint8Array {
  const out = new Uint8Array(key.length + 1 + POSITION_BYTES);
  out.set(key, 0);
  out[key.length] = SEPARATOR;
  writeUint64BE(out, key.length + 1, height);
  new DataView(out.buffer).setUint32(key.length + 9, index);
  return out;
}

/** Every version of `key` sorts inside [versionsStart(key), versionsEnd(key)). */
export function versionsStart(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key, 0);
  out[key.length] = SEPARATOR;
  return out;
}

export function versionsEnd(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key, 0);
  out[key.length] = SEPARATOR + 1;
  return out;
}

export interface DecodedDataKey {
  key: Uint8Array;
  height: number;
  index: number;
}

export function decodeDataKey(raw: Uint8Array): DecodedDataKey {
  const split = raw.length - POSITION_BYTES - 1;
  if (split < 1 || raw[split] !== SEPARATOR) {
    throw new StorageError(
      { code: "STORAGE_CORRUPT", reason: "malformed version key" },
      "Cannot read state: a version key in the database is malformed",
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return {
    key: raw.subarray(0, split),
    height: readUint64BE(raw, split + 1),
    index: view.getUint32(split + 9),
  };
}

export function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}
