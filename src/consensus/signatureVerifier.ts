import { verifySignature } from "../p2p";

/**
 * Checks one signature; never throws. The node uses ed25519 (`verifySignature`, the
 * default); a caller may pass one that caches results, since the same vote reaches a
 * node many times, or the simulator a cheap stand-in.
 */
export type SignatureVerifier = (
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
) => boolean;

export const ed25519Verifier: SignatureVerifier = verifySignature;
