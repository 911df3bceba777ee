import { createHash } from "node:crypto";
import type { SignatureVerifier } from "../../src/consensus";
import { generateIdentity, type NodeIdentity, nodeIdOf } from "../../src/p2p";

/**
 * Signing for the consensus simulator. "ed25519" is the node's real scheme; "fast" is a
 * stand-in (sha256 of key and data) so a thousand runs fit in seconds: ed25519
 * verification costs ~150 µs, a run verifies a few thousand messages. The stand-in is
 * forgeable, which is fine here: the simulated Byzantine validators equivocate with their
 * own keys, they do not forge. Both go through the same signBytes / verifyMessage /
 * verifyCertificate path; only the verifier is swapped.
 */
export type SimCrypto = "fast" | "ed25519";

const KEY_BYTES = 32;
const cache = new Map<string, NodeIdentity>();

/** The identity of validator slot `index`; the same every run, so keys cost nothing per run. */
export function simIdentity(index: number, crypto: SimCrypto): NodeIdentity {
  const key = `${crypto}/${index}`;
  let identity = cache.get(key);
  if (identity === undefined) {
    identity = crypto === "ed25519" ? generateIdentity(seedOf(index)) : fastIdentity(index);
    cache.set(key, identity);
  }
  return identity;
}

export function simVerifier(crypto: SimCrypto): SignatureVerifier | undefined {
  return crypto === "ed25519" ? undefined : fastVerify;
}

function seedOf(index: number): Uint8Array {
  return createHash("sha256").update(`anode-sim-validator-${index}`).digest();
}

function fastIdentity(index: number): NodeIdentity {
  const publicKey = new Uint8Array(seedOf(index).subarray(0, KEY_BYTES));
  return { id: nodeIdOf(publicKey), publicKey, sign: (data) => fastSign(publicKey, data) };
}

function fastSign(publicKey: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(publicKey).update(data).digest());
}

const fastVerify: SignatureVerifier = (publicKey, data, signature) =>
  Buffer.from(fastSign(publicKey, data)).equals(signature);
