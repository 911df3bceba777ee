import { verify } from "node:crypto";
import { publicKeyFromRaw } from "./ed25519Keys";
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from "./frameLimits";

/** True when `signature` is a valid ed25519 signature of `data` by `publicKey`; never throws. */
export function verifySignature(
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    return verify(null, data, publicKeyFromRaw(publicKey), signature);
  } catch {
    // A byte string that is not a point on the curve is a bad key, not our failure.
    return false;
  }
}
