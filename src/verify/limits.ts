/** Named limits applied wherever a manifest or a key list is read from outside. */
export const MAX_MANIFEST_BYTES = 256 * 1024;
export const MAX_ARTIFACTS = 32;
export const MAX_SIGNATURES = 16;
export const MAX_TRUSTED_KEYS = 64;
export const MAX_ENGINES = 256;
/** 4 GiB of chunks: no artifact we ship comes near, so anything bigger is hostile. */
export const MAX_ARTIFACT_BYTES = 4 * 1024 * 1024 * 1024;
export const MIN_CHUNK_SIZE = 16 * 1024;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/**
 * The most a manifest's `createdAt` may be ahead of a node's clock when the node accepts
 * it. Ten minutes is far above the drift of any NTP-synced machine (well under a second)
 * and covers a laptop that signs with a clock a few minutes fast, while a manifest
 * "created" hours or days ahead, which would also push every staged-rollout turn out, is
 * refused. A node judges it only when it first accepts a release, never on resuming one.
 */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;
/**
 * The most `expiresAt` may be after `createdAt`. Expiry is what keeps an old but validly
 * signed manifest from being replayed to a fresh node forever; `release sign` defaults to
 * 90 days and build/release.mjs to 90, so 400 days (a yearly release with a month to
 * spare) is comfortably above what any release manager would sign for.
 */
export const MAX_MANIFEST_LIFETIME_MS = 400 * 86_400_000;
