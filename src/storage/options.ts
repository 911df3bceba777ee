export interface VersionedStoreOptions {
  /**
   * Flush each block commit to disk before it resolves, so a committed block survives a
   * power cut. Off trades that guarantee for commit latency (tests, throwaway nodes).
   */
  syncCommits: boolean;
  /** Recompute the state root with a full scan on open and refuse a mismatch. */
  verifyOnOpen: boolean;
}

export const defaultVersionedStoreOptions: VersionedStoreOptions = {
  syncCommits: true,
  verifyOnOpen: false,
};
