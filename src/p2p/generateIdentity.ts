import { generateKeyPairSync } from "node:crypto";
import type { NodeIdentity } from "./contract";
import { ED25519_SEED_BYTES, privateKeyFromSeed } from "./ed25519Keys";
import { identityFromKey } from "./identityFromKey";
import { P2PError } from "./p2pError";

/**
 * A fresh identity held in memory, for tests and the simulator. With a 32-byte `seed`
 * the identity is reproducible, which the seeded simulator needs for repeatable runs.
 */
export function generateIdentity(seed?: Uint8Array): NodeIdentity {
  if (seed === undefined) return identityFromKey(generateKeyPairSync("ed25519").privateKey);
  if (seed.length !== ED25519_SEED_BYTES) {
    throw new P2PError(
      { code: "P2P_INVALID_ARGUMENT", argument: "seed" },
      `Cannot generate identity: seed must be ${ED25519_SEED_BYTES} bytes, got ${seed.length}`,
    );
  }
  return identityFromKey(privateKeyFromSeed(seed));
}
