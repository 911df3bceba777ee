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
