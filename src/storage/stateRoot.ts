import { createHash } from "node:crypto";

/**
 * The state root is an additive multiset hash of the live state:
 *
 *   root = Σ sha256(len(key) ‖ key ‖ value)  mod 2^256   over live keys
 *
 * Addition makes it incremental (a commit subtracts the old term of each written key and
 * adds the new one, without touching the rest of the state) and order-independent (the
 * same live state gives the same root however it was reached, so a replay, a full scan
 * and a snapshot import all agree). It is a consistency check between nodes and across
 * restarts, not a commitment that can prove one key's value: that would need a Merkle
 * tree, which this layout does not maintain.
 */
const MODULUS = 1n << 256n;
export const EMPTY_ROOT = 0n;

/** The 32-byte term one live key contributes to the root. */
export function rootTerm(key: Uint8Array, value: Uint8Array): Uint8Array {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(key.length);
  const digest = createHash("sha256").update(length).update(key).update(value).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

export function addTerm(root: bigint, term: Uint8Array): bigint {
  return (root + toBigInt(term)) % MODULUS;
}

export function subtractTerm(root: bigint, term: Uint8Array): bigint {
  return (root - toBigInt(term) + MODULUS) % MODULUS;
}

function toBigInt(term: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(term.buffer, term.byteOffset, term.byteLength).toString("hex")}`);
}

export function rootToHex(root: bigint): string {
  return root.toString(16).padStart(64, "0");
}

/** Returns undefined for anything but 64 hex digits. */
export function rootFromHex(hex: string): bigint | undefined {
  return /^[0-9a-f]{64}$/.test(hex) ? BigInt(`0x${hex}`) : undefined;
}
