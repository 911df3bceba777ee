/** How a node takes a verified release: apply it, only fetch it and say so, or wait. */
export const UPGRADE_POLICIES = ["auto", "notify", "manual"] as const;
export type UpgradePolicy = (typeof UPGRADE_POLICIES)[number];

/** Which releases a node follows: a beta node also takes stable releases. */
export const UPGRADE_CHANNELS = ["stable", "beta"] as const;
export type UpgradeChannel = (typeof UPGRADE_CHANNELS)[number];

/** The shape of build/trusted-keys.json; checked in full by the upgrade engine. */
export interface TrustedKeysSetting {
  readonly threshold: number;
  readonly keys: readonly { readonly id: string; readonly publicKey: string }[];
}

export interface UpgradeOptions {
  readonly policy: UpgradePolicy;
  readonly channel: UpgradeChannel;
  /** Bytes per second this node serves to all peers together. */
  readonly uploadBytesPerSecond: number;
  /** Chunk requests this node keeps in flight while downloading. */
  readonly maxParallelFetches: number;
  /** A release is spread over this window: each node's turn comes from a hash of its id. */
  readonly rolloutWindowMs: number;
  /** How long a hot-swapped release must stay healthy before it is made permanent. */
  readonly healthWindowMs: number;
  /** Replaces the keys compiled into the binary (private networks). */
  readonly trustedKeys?: TrustedKeysSetting;
}

export const defaultUpgradeOptions: UpgradeOptions = Object.freeze({
  policy: "auto",
  channel: "stable",
  uploadBytesPerSecond: 8 * 1024 * 1024,
  maxParallelFetches: 8,
  rolloutWindowMs: 0,
  healthWindowMs: 10_000,
});
