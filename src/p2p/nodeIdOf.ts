import { createHash } from "node:crypto";

/** Bytes of sha256(public key) kept in a node id: 160 bits, as in Ethereum and libp2p-style ids. */
const NODE_ID_BYTES = 20;

/** The node id a public key stands for: hex of the first 20 bytes of sha256(raw 32-byte key). */
export function nodeIdOf(publicKey: Uint8Array): string {
  return createHash("sha256").update(publicKey).digest().subarray(0, NODE_ID_BYTES).toString("hex");
}
