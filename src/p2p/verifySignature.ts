import { type KeyObject, verify } from "node:crypto";
import { publicKeyFromRaw } from "./ed25519Keys";
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from "./frameLimits";

/**
 * Key objects of the public keys seen last. Building one (`createPublicKey`) costs as
 * much as the verification itself (about 100 µs each), and a validator's key signs
 * every vote of every height. Bounded: keys come from the network.
 */
const MAX_CACHED_KEYS = 4096;
const keys = new Map<string, KeyObject>();

function keyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString("hex");
  let key = keys.get(id);
  if (key === undefined) {
    key = publicKeyFromRaw(publicKey);
    if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value as string);
    keys.set(id, key);
  }
  return key;
}

/** True when `signature` is a valid ed25519 signature of `data` by `publicKey`; never throws. */
export function verifySignature(
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    return verify(null, data, keyObject(publicKey), signature);
  } catch {
    // A byte string that is not a point on the curve is a bad key, not our failure.
    return false;
  }
}
