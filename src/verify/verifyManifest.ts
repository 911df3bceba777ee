import { decodeBase64 } from "./base64";
import { lifetimeProblem } from "./lifetimeProblem";
import { ManifestError } from "./manifestError";
import type { ManifestSignature, ReleaseManifest } from "./releaseManifest";
import { signingBytes } from "./signingBytes";
import type { TrustedKeys } from "./trustedKeys";
import { verifySignature } from "./verifySignature";

export interface VerifyOptions {
  /** Milliseconds since the epoch (default: now); injected so expiry is testable. */
  now?: number;
  /**
   * False to check only the signatures: for a release this node already accepted (boot,
   * applying, resuming). Expiry stops a node from accepting a release, never from
   * running one it accepted while it was valid (TUF's rule). Default true.
   */
  checkExpiry?: boolean;
}

export interface VerifiedManifest {
  manifest: ReleaseManifest;
  /** Ids of the trusted keys whose signatures checked out. */
  signers: string[];
}

/**
 * Checks that `threshold` distinct trusted public keys signed the manifest and (unless told
 * not to) that it has not expired and does not live too long (lifetimeProblem). A signature that claims a trusted key but does not verify fails the whole
 * manifest (someone altered it); signatures by keys we do not know are ignored unless
 * the trusted ones fall short, when the error names them.
 */
export function verifyManifest(
  manifest: ReleaseManifest,
  signatures: readonly ManifestSignature[],
  trust: TrustedKeys,
  options: VerifyOptions = {},
): VerifiedManifest {
  const message = signingBytes(manifest);
  const keys = new Map(trust.keys.map((k) => [k.id, decodeBase64(k.publicKey)]));
  const signers = new Set<string>();
  // Counted by public key, not id: a trust list naming one key twice must not let one
  // holder's signatures reach a threshold of two (parseTrustedKeys refuses such a list).
  const signingKeys = new Set<string>();
  const unknown: string[] = [];
  for (const { keyId, signature } of signatures) {
    if (!keys.has(keyId)) {
      unknown.push(keyId);
      continue;
    }
    const publicKey = keys.get(keyId);
    const sig = decodeBase64(signature);
    if (publicKey === undefined || sig === undefined || !verifySignature(message, sig, publicKey)) {
      throw new ManifestError(
        { code: "MANIFEST_BAD_SIGNATURE", keyId },
        `Cannot accept release ${manifest.version}: the signature by key ${keyId} does not match the manifest`,
      );
    }
    const hex = Buffer.from(publicKey).toString("hex");
    if (!signingKeys.has(hex)) signers.add(keyId);
    signingKeys.add(hex);
  }
  if (signingKeys.size < trust.threshold) {
    if (signingKeys.size === 0 && unknown.length > 0) {
      throw new ManifestError(
        { code: "MANIFEST_UNKNOWN_KEY", keyIds: unknown },
        `Cannot accept release ${manifest.version}: it is signed only by keys this node does not trust (${unknown.join(", ")})`,
      );
    }
    throw new ManifestError(
      {
        code: "MANIFEST_TOO_FEW_SIGNATURES",
        valid: signingKeys.size,
        threshold: trust.threshold,
      },
      `Cannot accept release ${manifest.version}: ${signingKeys.size} trusted signature(s), ${trust.threshold} needed`,
    );
  }
  if (options.checkExpiry !== false && isExpired(manifest, options.now ?? Date.now())) {
    throw new ManifestError(
      { code: "MANIFEST_EXPIRED", expiresAt: manifest.expiresAt },
      `Cannot accept release ${manifest.version}: its manifest expired at ${manifest.expiresAt}`,
    );
  }
  const tooLong = options.checkExpiry === false ? undefined : lifetimeProblem(manifest);
  if (tooLong !== undefined) {
    throw new ManifestError(
      {
        code: "MANIFEST_TOO_LONG_LIVED",
        createdAt: manifest.createdAt,
        expiresAt: manifest.expiresAt,
      },
      `Cannot accept release ${manifest.version}: ${tooLong}`,
    );
  }
  return { manifest, signers: [...signers] };
}

/** Whether a manifest's `expiresAt` has passed at `now` (milliseconds since the epoch). */
export function isExpired(manifest: ReleaseManifest, now: number): boolean {
  return Date.parse(manifest.expiresAt) <= now;
}
