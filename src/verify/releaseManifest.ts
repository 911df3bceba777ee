/** Platforms a binary artifact is built for; an app bundle runs on all of them ("any"). */
export const PLATFORMS = [
  "linux-x64",
  "linux-arm64",
  "macos-x64",
  "macos-arm64",
  "win-x64",
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const CHANNELS = ["stable", "beta"] as const;
export type Channel = (typeof CHANNELS)[number];

export const PRODUCT = "anode";
export const MANIFEST_FORMAT = 1;

interface ArtifactBase {
  /** File name in the release, e.g. `anode-linux-x64` or `anode-app-0.2.0.cjs`. */
  name: string;
  size: number;
  /** Hex SHA-512 of the whole artifact. */
  sha512: string;
  chunkSize: number;
  /** Hex SHA-256 of each `chunkSize` piece, in order; the swarm fetch checks each one. */
  chunks: string[];
}

/**
 * How a release changes one engine, like an OTP appup instruction: `swap` suspends it,
 * runs the new module's codeChange on its state and resumes it (the default); `restart`
 * restarts it (and, under a one_for_all supervisor, its subtree) on the new module with
 * its state rebuilt from disk and the event log; `binary` says the change needs a new
 * executable, so the release is refused as an app release.
 */
export const INSTRUCTIONS = ["swap", "restart", "binary"] as const;
export type Instruction = (typeof INSTRUCTIONS)[number];

/** A release whose new code must run from one height of one chain on every node. */
export interface Activation {
  chain: string;
  height: number;
}

export interface AppArtifact extends ArtifactBase {
  kind: "app";
  platform: "any";
  /** The boot contract the bundle was built against; a binary refuses any other. */
  hostApi: number;
  /**
   * The digest of the binary-layer sources (boot, runtime, verifier) the bundle was built
   * against, hex sha256; a node whose binary was built from others refuses the release
   * unless it also brings a binary for the node's platform. Absent in manifests signed
   * before it existed, which such a node refuses the same way.
   */
  binaryLayer?: string;
  /** Engine name to module version, so an upgrade swaps only the engines that changed. */
  engines: Record<string, string>;
  /** Per engine, how it changes; an engine not named here is swapped. */
  instructions?: Record<string, Instruction>;
}

export interface BinaryArtifact extends ArtifactBase {
  kind: "binary";
  platform: Platform;
}

export type Artifact = AppArtifact | BinaryArtifact;

export interface ReleaseManifest {
  format: typeof MANIFEST_FORMAT;
  product: typeof PRODUCT;
  version: string;
  channel: Channel;
  /** ISO 8601 UTC, e.g. `2026-01-31T12:00:00.000Z`. */
  createdAt: string;
  expiresAt: string;
  artifacts: Artifact[];
  /**
   * Every node swaps between blocks height-1 and height of this chain, so all run the
   * same code at every height; one without the release halts the chain there.
   */
  activate?: Activation;
}

export interface ManifestSignature {
  keyId: string;
  /** Base64 ed25519 signature over `signingBytes(manifest)`. */
  signature: string;
}

/** What travels (gossip, release folder, the data directory): a manifest and its signatures. */
export interface SignedManifest {
  manifest: ReleaseManifest;
  signatures: ManifestSignature[];
}
