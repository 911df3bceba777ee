import { type BackoffOptions, defaultBackoffOptions } from "./backoffDelay";
import type { NodeIdentity, PeerConfig } from "./contract";

/** Per-peer token buckets: over either one the connection is closed. */
export interface RateLimitOptions {
  readonly framesPerSecond: number;
  readonly frameBurst: number;
  readonly bytesPerSecond: number;
  /** At least MAX_FRAME_BYTES, or a single largest frame could never pass. */
  readonly byteBurst: number;
}

/** The tunables of a P2PNode; every one has a default. */
export interface P2PTunables {
  /** Whole-handshake deadline, from connection open to authentication. */
  readonly handshakeTimeoutMs: number;
  readonly pingIntervalMs: number;
  /** A peer silent this long (no frame of any kind) is closed. */
  readonly peerTimeoutMs: number;
  readonly backoff: BackoffOptions;
  readonly rateLimit: RateLimitOptions;
  /** Never write data frames to a connection with more than this buffered. */
  readonly highWaterMarkBytes: number;
  readonly maxInboundPeers: number;
  /** Connections still in their handshake; bounds what an unauthenticated crowd costs. */
  readonly maxPendingHandshakes: number;
  /** Gossip travels at most this many hops from its publisher. */
  readonly hopLimit: number;
  readonly seenTtlMs: number;
  readonly seenMaxEntries: number;
  /** A message on a validated topic not judged within this is dropped, never relayed. */
  readonly validationTimeoutMs: number;
  /** Messages awaiting a verdict at once; one more is dropped unseen, so a later copy can pass. */
  readonly maxPendingValidations: number;
}

export interface P2POptions extends P2PTunables {
  readonly networkId: string;
  readonly identity: NodeIdentity;
  /** The product version, shown to peers in the handshake. */
  readonly version: string;
  /** "host:port" to accept connections on; none for a dial-only node. */
  readonly listen?: string | undefined;
  readonly peers: readonly PeerConfig[];
  /**
   * Topics whose messages are relayed only after the subscriber's verdict
   * (P2PNode.reportValidationResult): for bodies a peer could forge, so that one peer
   * cannot make every node carry them.
   */
  readonly validatedTopics?: readonly string[] | undefined;
}

/** What a caller must give; the tunables fall back to defaultP2POptions. */
export type P2PNodeOptions = Omit<P2POptions, keyof P2PTunables> & Partial<P2PTunables>;

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
export const DEFAULT_PING_INTERVAL_MS = 5_000;
export const DEFAULT_PEER_TIMEOUT_MS = 20_000;
// Generous for an honest node (a gossip burst or a call storm) yet a hard stop for a
// flood: 20k frames/s and 16 MiB/s sustained, twice that in a burst.
export const DEFAULT_PEER_FRAMES_PER_SECOND = 20_000;
export const DEFAULT_PEER_FRAME_BURST = 40_000;
export const DEFAULT_PEER_BYTES_PER_SECOND = 16 * 1024 * 1024;
export const DEFAULT_PEER_BYTE_BURST = 32 * 1024 * 1024;
export const DEFAULT_HIGH_WATER_MARK_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_INBOUND_PEERS = 64;
export const DEFAULT_MAX_PENDING_HANDSHAKES = 64;
/** Enough to cross a random degree-8 graph of millions of nodes; flooding needs far fewer. */
export const DEFAULT_HOP_LIMIT = 16;
export const DEFAULT_SEEN_TTL_MS = 120_000;
export const DEFAULT_SEEN_MAX_ENTRIES = 100_000;
/** Far above a verdict's usual milliseconds, yet short enough that a stuck subscriber costs little. */
export const DEFAULT_VALIDATION_TIMEOUT_MS = 10_000;
// Each held message may be a whole gossip frame (MAX_GOSSIP_BYTES, 256 KiB): 64 of them
// bound what peers can make us hold to 16 MiB, while validated topics (releases) are rare.
export const DEFAULT_MAX_PENDING_VALIDATIONS = 64;

export const defaultP2POptions: P2PTunables = Object.freeze({
  handshakeTimeoutMs: DEFAULT_HANDSHAKE_TIMEOUT_MS,
  pingIntervalMs: DEFAULT_PING_INTERVAL_MS,
  peerTimeoutMs: DEFAULT_PEER_TIMEOUT_MS,
  backoff: defaultBackoffOptions,
  rateLimit: Object.freeze({
    framesPerSecond: DEFAULT_PEER_FRAMES_PER_SECOND,
    frameBurst: DEFAULT_PEER_FRAME_BURST,
    bytesPerSecond: DEFAULT_PEER_BYTES_PER_SECOND,
    byteBurst: DEFAULT_PEER_BYTE_BURST,
  }),
  highWaterMarkBytes: DEFAULT_HIGH_WATER_MARK_BYTES,
  maxInboundPeers: DEFAULT_MAX_INBOUND_PEERS,
  maxPendingHandshakes: DEFAULT_MAX_PENDING_HANDSHAKES,
  hopLimit: DEFAULT_HOP_LIMIT,
  seenTtlMs: DEFAULT_SEEN_TTL_MS,
  seenMaxEntries: DEFAULT_SEEN_MAX_ENTRIES,
  validationTimeoutMs: DEFAULT_VALIDATION_TIMEOUT_MS,
  maxPendingValidations: DEFAULT_MAX_PENDING_VALIDATIONS,
});
