/**
 * Bounds on what the store accepts. Snapshots apply the same bounds when reading a file
 * from a peer, so anything the store holds can always be exported and imported again.
 */
export const MAX_KEY_BYTES = 1024;
export const MAX_VALUE_BYTES = 1024 * 1024;
export const DEFAULT_READ_TIMEOUT_MS = 5000;
