import type { KvValue } from "./kvTx";

/** Same type and same content; bytes compare by content, not identity. */
export function valueEquals(a: KvValue, b: KvValue): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) {
      return false;
    }
    return a.every((byte, i) => byte === b[i]);
  }
  return a === b;
}
