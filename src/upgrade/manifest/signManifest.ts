import nacl from "tweetnacl";
import {
  decodeBase64,
  encodeBase64,
  type ManifestSignature,
  type ReleaseManifest,
  signingBytes,
} from "../../verify";
import type { SigningKey } from "./signingKey";

export function signManifest(manifest: ReleaseManifest, key: SigningKey): ManifestSignature {
  const secret = decodeBase64(key.secretKey);
  if (secret?.length !== 64) throw new TypeError(`Cannot sign: key ${key.id} is malformed`);
  return {
    keyId: key.id,
    signature: encodeBase64(nacl.sign.detached(signingBytes(manifest), secret)),
  };
}
