/**
 * The contract between the p2p layer and the rest of the node. Everything in src/p2p is
 * synchronous and callback-driven, with time and randomness injected, so the same code
 * runs on real websockets under the node and on the in-memory network under the seeded,
 * deterministic simulator.
 */

/** Time source. The node passes the real clock; the simulator a virtual one. */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
}

/** Uniform random numbers in [0, 1). Seeded in simulation. */
export interface Rng {
  next(): number;
}

/** This node's ed25519 identity. The id derives from the public key. */
export interface NodeIdentity {
  readonly id: string;
  readonly publicKey: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

export interface PeerConfig {
  /** "host:port" */
  address: string;
  /** When given, a peer at this address presenting another id is refused. */
  id?: string;
}

/** A point-to-point message between engines of two nodes; the router gives it meaning. */
import type { DirectMessage } from "../runtime";

export type { DirectMessage };

export interface PeerInfo {
  id: string;
  address: string;
  direction: "inbound" | "outbound";
  connectedAt: number;
  /** Round trip of the last ping, when one has been answered. */
  latencyMs?: number;
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
  /** Product version the peer announced in its hello. */
  version?: string;
  /** Address the peer says it listens on ("" when none); announced, not verified. */
  listenAddress?: string;
}

export interface GossipMeta {
  /** Peer that handed it to us. */
  from: string;
  /** Node that published it. */
  origin: string;
  id: string;
  hops: number;
}

/**
 * The subscriber's judgement of a message on a validated topic (libp2p GossipSub's
 * reportMessageValidationResult): "accept" relays it on, "reject" drops it and closes
 * the peer that sent it, "ignore" drops it without blaming anyone.
 */
export type GossipVerdict = "accept" | "reject" | "ignore";

/** Why a connection was closed by us: the code is the websocket close code we sent. */
export interface Rejection {
  address: string;
  peer?: string;
  code: number;
  reason: string;
}

export interface P2PEvents {
  onPeerUp?(peer: PeerInfo): void;
  onPeerDown?(peer: PeerInfo, reason: string): void;
  onMessage?(from: string, msg: DirectMessage): void;
  onGossip?(topic: string, body: unknown, meta: GossipMeta): void;
  onRejected?(rejection: Rejection): void;
}
