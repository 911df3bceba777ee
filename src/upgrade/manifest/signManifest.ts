import nacl from "tweetnacl";
import { decodeBase64, encodeBase64 } from "./base64";
import { canonicalJson } from "./canonicalJson";
import type { ManifestSignature, ReleaseManifest } from "./releaseManifest";
import type { SigningKey } from "./signingKey";

// A domain prefix, so a manifest signature can never pass for a signature over any other
// message the same key signs (SHA256SUMS, a future message type).
const DOMAIN = "anode release manifest v1\n";

/** The exact bytes a manifest signature covers. */
export function signingBytes(manifest: ReleaseManifest): Uint8Array {
  return new Uint8Array(Buffer.from(DOMAIN + canonicalJson(manifest), "utf8"));
}

export function signManifest(manifest: ReleaseManifest, key: SigningKey): ManifestSignature {
  const secret = decodeBase64(key.secretKey);
  if (secret?.length !== 64) throw new TypeError(`Cannot sign: key ${key.id} is malformed`);
  return {
    keyId: key.id,
    signature: encodeBase64(nacl.sign.detached(signingBytes(manifest), secret)),
  };
}
