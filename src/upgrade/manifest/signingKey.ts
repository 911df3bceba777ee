import nacl from "tweetnacl";
import { decodeBase64, encodeBase64, ManifestError, type TrustedKey } from "../../verify";

/** A release signing key as stored in its file (never committed; CI reads it from a secret). */
export interface SigningKey {
  id: string;
  /** Base64 of tweetnacl's 64-byte secret key (seed followed by public key). */
  secretKey: string;
  publicKey: string;
}

export function generateSigningKey(id: string): SigningKey {
  const pair = nacl.sign.keyPair();
  return { id, secretKey: encodeBase64(pair.secretKey), publicKey: encodeBase64(pair.publicKey) };
}

/** The public half, in the shape `build/trusted-keys.json` lists. */
export function trustedKeyOf(key: SigningKey): TrustedKey {
  return { id: key.id, publicKey: key.publicKey };
}

/** Checks a parsed key file; the public key must be the one the secret key derives. */
export function parseSigningKey(value: unknown): SigningKey {
  const { id, secretKey } = (value ?? {}) as { id?: unknown; secretKey?: unknown };
  const secret = typeof secretKey === "string" ? decodeBase64(secretKey) : undefined;
  if (typeof id !== "string" || id === "" || secret?.length !== 64) {
    throw new ManifestError(
      { code: "MANIFEST_TRUST_INVALID", reason: "not a signing key file" },
      "Cannot use the signing key: the file needs an id and a base64 64-byte secretKey",
    );
  }
  const pair = nacl.sign.keyPair.fromSecretKey(secret);
  return { id, secretKey: secretKey as string, publicKey: encodeBase64(pair.publicKey) };
}

/** Raw ed25519 signature of `message` (used for SHA256SUMS, which openssl can verify). */
export function signBytes(message: Uint8Array, key: SigningKey): Uint8Array {
  return nacl.sign.detached(message, decodeBase64(key.secretKey) ?? new Uint8Array(64));
}
