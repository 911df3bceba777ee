import { StorageError } from "./storageError";

/**
 * A stored version is a tag byte followed by the value. The tag keeps a tombstone apart
 * from a live empty value, which an empty byte string alone could not.
 */
const TOMBSTONE = 0x00;
const LIVE = 0x01;

const TOMBSTONE_BYTES = Uint8Array.of(TOMBSTONE);

export function encodeVersion(value: Uint8Array | undefined): Uint8Array {
  if (value === undefined) return TOMBSTONE_BYTES;
  const out = new Uint8Array(value.length + 1);
  out[0] = LIVE;
  out.set(value, 1);
  return out;
}

/** Returns the live value, or undefined for a tombstone. */
export function decodeVersion(raw: Uint8Array): Uint8Array | undefined {
  if (raw.length === 1 && raw[0] === TOMBSTONE) return undefined;
  if (raw.length >= 1 && raw[0] === LIVE) return raw.subarray(1);
  throw new StorageError(
    { code: "STORAGE_CORRUPT", reason: "malformed version value" },
    "Cannot read state: a stored version has an unknown tag",
  );
}
