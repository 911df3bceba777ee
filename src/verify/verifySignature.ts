import nacl from "tweetnacl";

/** The order of ed25519's base point (RFC 8032 §5.1). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/**
 * An ed25519 signature check that also refuses a non-canonical S (S >= L), as RFC 8032
 * §5.1.7 requires and tweetnacl does not check: S and S + L verify alike, so without it
 * one signature has several spellings, and anything that tells signatures apart by
 * their bytes (a seen-set, a log of who signed) can be fooled.
 */
export function verifySignature(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i] as number);
  if (s >= L) return false;
  return nacl.sign.detached.verify(message, signature, publicKey);
}
