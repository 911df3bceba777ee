import { type KeyObject, sign } from "node:crypto";
import type { NodeIdentity } from "./contract";
import { rawPublicKey } from "./ed25519Keys";
import { nodeIdOf } from "./nodeIdOf";

/**
 * A NodeIdentity around an ed25519 private key. The key stays in this closure: the
 * returned object has no property through which it could be logged or serialised.
 */
export function identityFromKey(privateKey: KeyObject): NodeIdentity {
  const publicKey = rawPublicKey(privateKey);
  return Object.freeze({
    id: nodeIdOf(publicKey),
    publicKey,
    sign: (data: Uint8Array): Uint8Array => new Uint8Array(sign(null, data, privateKey)),
  });
}
