import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

// DER headers that wrap a raw 32-byte ed25519 key into PKCS#8 / SPKI, so node:crypto's
// native ed25519 can use raw keys (and seeds) without a third-party library.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export const ED25519_SEED_BYTES = 32;

/** A private key object from a raw 32-byte seed. */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
}

/** A public key object from a raw 32-byte public key. */
export function publicKeyFromRaw(publicKey: Uint8Array): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, publicKey]),
    format: "der",
    type: "spki",
  });
}

/** The raw 32-byte public key of an ed25519 key object (private or public). */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const spki = createPublicKey(key).export({ format: "der", type: "spki" });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}
