export { decodeBase64, encodeBase64 } from "./base64";
export { canonicalJson } from "./canonicalJson";
export { compareVersions, isReleaseVersion, isVersion } from "./compareVersions";
export { type ArtifactDigest, describeArtifact, sha256Hex, sha512Hex } from "./describeArtifact";
export { lifetimeProblem } from "./lifetimeProblem";
export * from "./limits";
export { ManifestError, type ManifestErrorCode, type ManifestErrorType } from "./manifestError";
export { parseSignedManifest } from "./parseSignedManifest";
export {
  type Activation,
  type AppArtifact,
  type Artifact,
  type BinaryArtifact,
  CHANNELS,
  type Channel,
  INSTRUCTIONS,
  type Instruction,
  MANIFEST_FORMAT,
  type ManifestSignature,
  PLATFORMS,
  type Platform,
  PRODUCT,
  type ReleaseManifest,
  type SignedManifest,
} from "./releaseManifest";
export {
  generateSigningKey,
  parseSigningKey,
  type SigningKey,
  signBytes,
  trustedKeyOf,
} from "./signingKey";
export { signingBytes, signManifest } from "./signManifest";
export { parseTrustedKeys, type TrustedKey, type TrustedKeys } from "./trustedKeys";
export {
  isExpired,
  type VerifiedManifest,
  type VerifyOptions,
  verifyManifest,
} from "./verifyManifest";
export { verifySignature } from "./verifySignature";
