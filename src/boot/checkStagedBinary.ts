import {
  compareVersions,
  MAX_ARTIFACT_BYTES,
  MAX_MANIFEST_BYTES,
  type Platform,
  parseSignedManifest,
  sha512Hex,
  type TrustedKeys,
  verifyManifest,
} from "../verify";
import { readUntrustedFile, stagedBinaryPaths } from "./stagedBinary";

export interface StagedBinaryCheck {
  trust: TrustedKeys;
  /** The version of the binary that checks: only a newer one may replace it. */
  running: string;
  platform: Platform;
}

/**
 * Judges the binary a node left in its data directory as if it came from a stranger (the
 * service account wrote it): the manifest beside it must be signed by k of the keys the
 * checking binary trusts, name a newer version, and list a binary for this platform whose
 * size and SHA-512 the bytes match. Returns the bytes it checked (the caller writes
 * exactly those, never re-reads the file); undefined when nothing is staged; throws with
 * the reason otherwise.
 */
export function checkStagedBinary(
  dataDir: string,
  o: StagedBinaryCheck,
): { version: string; bytes: Uint8Array } | undefined {
  const paths = stagedBinaryPaths(dataDir);
  const text = readUntrustedFile(paths.manifest, MAX_MANIFEST_BYTES);
  if (text === undefined) return undefined;
  const signed = parseSignedManifest(text);
  // Expiry stops a node accepting a release, not finishing one it accepted in time.
  verifyManifest(signed.manifest, signed.signatures, o.trust, { checkExpiry: false });
  const { version, artifacts } = signed.manifest;
  if (compareVersions(version, o.running) <= 0) {
    throw new Error(`binary ${version} is not newer than ${o.running}, the binary in place`);
  }
  const artifact = artifacts.find((a) => a.kind === "binary" && a.platform === o.platform);
  if (artifact === undefined) throw new Error(`release ${version} has no ${o.platform} binary`);
  const bytes = readUntrustedFile(paths.bytes, MAX_ARTIFACT_BYTES);
  if (bytes === undefined) throw new Error(`the bytes of binary ${version} are missing`);
  if (bytes.byteLength !== artifact.size || sha512Hex(bytes) !== artifact.sha512) {
    throw new Error(`the staged bytes do not match binary ${version}'s signed size and SHA-512`);
  }
  return { version, bytes };
}
