import { createPublicKey, verify } from "node:crypto";

/**
 * Checks a raw ed25519 signature with node's own crypto (OpenSSL underneath), not with the
 * tweetnacl code under test: a base64 raw public key as trusted-keys.json holds it.
 */
export function verifiesWithOpenssl(
  publicKey: string,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const key = createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKey, "base64").toString("base64url") },
    format: "jwk",
  });
  return verify(null, message, key, signature);
}
