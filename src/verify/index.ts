// What a node needs to judge a release: the manifest schema, its parsing and signature
// check against the trusted keys, canonical JSON, version rules and the named limits.
// Binary-layer code: boot verifies app bundles with it, and the app gets this same copy
// from the host (`anode:verify`), so no app release can ship a weaker verifier.
export { decodeBase64, encodeBase64 } from "./base64";
export { binaryLayerProblem, NEEDS_BINARY_REASON } from "./binaryLayerProblem";
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
export { signingBytes } from "./signingBytes";
export { parseTrustedKeys, type TrustedKey, type TrustedKeys } from "./trustedKeys";
export {
  isExpired,
  type VerifiedManifest,
  type VerifyOptions,
  verifyManifest,
} from "./verifyManifest";
export { verifySignature } from "./verifySignature";
