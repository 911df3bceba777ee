import { type BackoffOptions, defaultBackoffOptions } from "./backoffDelay";
import type { NodeIdentity, PeerConfig } from "./contract";

/** Peer exchange: a node given a few seeds learns more addresses and dials them. */
export interface PexTunables {
  /** Ask peers for addresses and answer their asks. */
  readonly pex: boolean;
  /** Outbound connections the node dials up to from learned addresses (static peers count). */
  readonly targetOutboundPeers: number;
  /** Signed address records kept. */
  readonly maxAddressBook: number;
  /** How often the table is topped up and a peer asked for more addresses. */
  readonly pexIntervalMs: number;
  /** Records signed longer ago than this are refused and forgotten. */
  readonly addressRecordTtlMs: number;
}

/** Per-peer token buckets: over either one the connection is closed. */
export interface RateLimitOptions {
  readonly framesPerSecond: number;
  readonly frameBurst: number;
  readonly bytesPerSecond: number;
  /** At least MAX_FRAME_BYTES, or a single largest frame could never pass. */
  readonly byteBurst: number;
}

/** The tunables of a P2PNode; every one has a default. */
export interface P2PTunables extends GossipTunables, PexTunables {
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

/**
 * Mesh gossip (GossipSub v1.1 with Plumtree's eager/lazy split inside the mesh): names
 * follow the GossipSub spec where there is one (D, D_low, D_high, D_lazy, mcache_len,
 * mcache_gossip, prune backoff).
 */
export interface GossipTunables {
  /** "mesh", or "flood" (every message to every peer: the old protocol, kept to measure against). */
  readonly gossipMode: "mesh" | "flood";
  /** D: mesh peers per topic. */
  readonly meshDegree: number;
  /** D_low: below this a heartbeat grafts peers back up to D. */
  readonly meshDegreeLow: number;
  /** D_high: above this a heartbeat prunes down to D; a GRAFT beyond it is refused. */
  readonly meshDegreeHigh: number;
  /**
   * A duplicate chokes its link only while more mesh links than this stay eager: eager
   * links then settle on a graph of average degree about 2-3 (a tree would be 2), which
   * costs 1-1.5 whole copies per node and message and survives a node leaving.
   */
  readonly meshEagerMin: number;
  /** D_lazy: non-mesh peers sent IHAVE each heartbeat, per topic. */
  readonly gossipLazy: number;
  readonly heartbeatMs: number;
  /** mcache_len: heartbeats a message stays fetchable by IWANT. */
  readonly mcacheWindows: number;
  /** mcache_gossip: heartbeats whose ids each IHAVE announces. */
  readonly mcacheGossipWindows: number;
  /** IHAVEs to lazy mesh peers wait this long, so one frame carries a burst's ids. */
  readonly lazyPushDelayMs: number;
  /**
   * After an IHAVE of a message we lack, wait this long for a pushed copy before asking
   * (IWANT, and unchoke so the path becomes eager); then this long per announcer asked.
   */
  readonly iwantTimeoutMs: number;
  /** A pruned peer is not grafted again on that topic for this long. */
  readonly pruneBackoffMs: number;
  /** Peers scored below this get no IHAVE and their IHAVE/IWANT are ignored. */
  readonly gossipThreshold: number;
  /** Peers scored below this are ignored altogether (gossip and control). */
  readonly graylistThreshold: number;
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
/**
 * Mesh gossip's eager links form a tree, deeper than the graph's diameter, and repairs
 * after churn deepen it further; the seen-cache, not this, is what stops loops.
 */
export const DEFAULT_HOP_LIMIT = 32;
export const DEFAULT_SEEN_TTL_MS = 120_000;
export const DEFAULT_SEEN_MAX_ENTRIES = 100_000;
/** Far above a verdict's usual milliseconds, yet short enough that a stuck subscriber costs little. */
export const DEFAULT_VALIDATION_TIMEOUT_MS = 10_000;
// Each held message may be a whole gossip frame (MAX_GOSSIP_BYTES, 256 KiB): 64 of them
// bound what peers can make us hold to 16 MiB, while validated topics (releases) are rare.
export const DEFAULT_MAX_PENDING_VALIDATIONS = 64;

export const DEFAULT_MESH_DEGREE = 6;
export const DEFAULT_MESH_DEGREE_LOW = 4;
export const DEFAULT_MESH_DEGREE_HIGH = 12;
export const DEFAULT_MESH_EAGER_MIN = 2;
export const DEFAULT_GOSSIP_LAZY = 6;
export const DEFAULT_HEARTBEAT_MS = 1_000;
export const DEFAULT_MCACHE_WINDOWS = 5;
export const DEFAULT_MCACHE_GOSSIP_WINDOWS = 3;
export const DEFAULT_LAZY_PUSH_DELAY_MS = 50;
/**
 * Longer than a pushed copy takes down the eager links of a thousand nodes (a few hundred
 * ms in the simulation): shorter, and every slow copy is fetched twice and its link unchoked.
 */
export const DEFAULT_IWANT_TIMEOUT_MS = 500;
/** GossipSub's PRUNE backoff. */
export const DEFAULT_PRUNE_BACKOFF_MS = 60_000;
/** A few broken promises or floods; an invalid message on a validated topic alone. */
export const DEFAULT_GOSSIP_THRESHOLD = -10;
export const DEFAULT_GRAYLIST_THRESHOLD = -40;
export const DEFAULT_TARGET_OUTBOUND_PEERS = 8;
export const DEFAULT_MAX_ADDRESS_BOOK = 1_000;
export const DEFAULT_PEX_INTERVAL_MS = 15_000;
export const DEFAULT_ADDRESS_RECORD_TTL_MS = 24 * 60 * 60 * 1000;

export const defaultP2POptions: P2PTunables = Object.freeze({
  gossipMode: "mesh",
  meshDegree: DEFAULT_MESH_DEGREE,
  meshDegreeLow: DEFAULT_MESH_DEGREE_LOW,
  meshDegreeHigh: DEFAULT_MESH_DEGREE_HIGH,
  meshEagerMin: DEFAULT_MESH_EAGER_MIN,
  gossipLazy: DEFAULT_GOSSIP_LAZY,
  heartbeatMs: DEFAULT_HEARTBEAT_MS,
  mcacheWindows: DEFAULT_MCACHE_WINDOWS,
  mcacheGossipWindows: DEFAULT_MCACHE_GOSSIP_WINDOWS,
  lazyPushDelayMs: DEFAULT_LAZY_PUSH_DELAY_MS,
  iwantTimeoutMs: DEFAULT_IWANT_TIMEOUT_MS,
  pruneBackoffMs: DEFAULT_PRUNE_BACKOFF_MS,
  gossipThreshold: DEFAULT_GOSSIP_THRESHOLD,
  graylistThreshold: DEFAULT_GRAYLIST_THRESHOLD,
  pex: true,
  targetOutboundPeers: DEFAULT_TARGET_OUTBOUND_PEERS,
  maxAddressBook: DEFAULT_MAX_ADDRESS_BOOK,
  pexIntervalMs: DEFAULT_PEX_INTERVAL_MS,
  addressRecordTtlMs: DEFAULT_ADDRESS_RECORD_TTL_MS,
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
