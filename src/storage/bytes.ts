const TWO_POW_32 = 2 ** 32;

/** 8-byte big-endian encoding, so LevelDB's byte order is numeric order. */
export function uint64BE(n: number): Uint8Array {
  const out = new Uint8Array(8);
  writeUint64BE(out, 0, n);
  return out;
}

/** `n` must be a non-negative safe integer; callers validate first. */
export function writeUint64BE(target: Uint8Array, offset: number, n: number): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  view.setUint32(offset, Math.floor(n / TWO_POW_32));
  view.setUint32(offset + 4, n % TWO_POW_32);
}

/** Values above 2^53 - 1 come back imprecise but never safe, so `isSafeHeight` catches them. */
export function readUint64BE(source: Uint8Array, offset: number): number {
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  return view.getUint32(offset) * TWO_POW_32 + view.getUint32(offset + 4);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function isSafeHeight(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}
