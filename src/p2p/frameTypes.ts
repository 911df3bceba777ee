import type { DirectMessage } from "./contract";

/** Opens both sides' handshake. */
export interface HelloFrame {
  type: "hello";
  network: string;
  id: string;
  publicKey: Uint8Array;
  protocol: number;
  version: string;
  challenge: Uint8Array;
  /**
   * This link's X25519 public key (protocol 2). Optional in the schema only so that a
   * protocol 1 hello, which has none, is refused as wrong_protocol rather than malformed.
   */
  ephemeralKey?: Uint8Array;
  /** The address the sender listens on, "" when it does not; advertised, not verified. */
  listen: string;
}

/** Signature over the other side's challenge and the transcript: see authPayload. */
export interface AuthFrame {
  type: "auth";
  signature: Uint8Array;
}

export interface MsgFrame {
  type: "msg";
  message: DirectMessage;
}

export interface GossipFrame {
  type: "gossip";
  /** 16 bytes; must equal gossipId(origin, seq, topic). */
  id: Uint8Array;
  origin: string;
  seq: number;
  topic: string;
  /** Hops travelled when received: 1 on the publisher's own links. */
  hops: number;
  body: unknown;
}

export interface PingFrame {
  type: "ping";
  nonce: number;
}

export interface PongFrame {
  type: "pong";
  nonce: number;
}

/** Message ids this node has, on one topic (GossipSub's IHAVE). */
export interface IHave {
  topic: string;
  ids: Uint8Array[];
}

/**
 * Mesh gossip's control messages, GossipSub's ControlMessage with Plumtree's choke added;
 * any part may be absent, so one frame can carry everything due to a peer at a heartbeat.
 * graft/prune: join or leave the sender's mesh for these topics. choke/unchoke: within the
 * mesh, stop (or resume) pushing whole messages to the sender and announce them instead,
 * so eager traffic settles on a tree while the mesh keeps degree D for repair.
 */
export interface ControlFrame {
  type: "ctl";
  ihave?: IHave[];
  /** Ids the sender wants the whole message of, answered from the message cache. */
  iwant?: Uint8Array[];
  graft?: string[];
  prune?: string[];
  choke?: string[];
  unchoke?: string[];
}

/**
 * A node's own listen address, signed by its key, so that whoever hands it on cannot
 * change it: the id must be nodeIdOf(publicKey) and the signature cover addressRecordPayload.
 */
export interface AddressRecord {
  id: string;
  publicKey: Uint8Array;
  address: string;
  /** When it was signed (ms since the epoch): a newer record of one id replaces an older. */
  at: number;
  signature: Uint8Array;
}

/** Peer exchange: a request for addresses (want), records, or both. */
export interface PexFrame {
  type: "pex";
  want: boolean;
  records: AddressRecord[];
}

export type Frame =
  | HelloFrame
  | AuthFrame
  | MsgFrame
  | GossipFrame
  | PingFrame
  | PongFrame
  | ControlFrame
  | PexFrame;
export type FrameType = Frame["type"];

/**
 * The first byte of every frame names its type, so the per-type size limit is checked
 * before a single byte of MessagePack is decoded.
 */
export const FRAME_TAGS = {
  hello: 1,
  auth: 2,
  msg: 3,
  gossip: 4,
  ping: 5,
  pong: 6,
  ctl: 8,
  pex: 9,
} as const satisfies Record<FrameType, number>;

/** The first byte of every frame after the hellos: a LinkCipher frame, whatever is inside. */
export const SEALED_TAG = 7;
