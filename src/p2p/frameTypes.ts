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

export type Frame = HelloFrame | AuthFrame | MsgFrame | GossipFrame | PingFrame | PongFrame;
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
} as const satisfies Record<FrameType, number>;

/** The first byte of every frame after the hellos: a LinkCipher frame, whatever is inside. */
export const SEALED_TAG = 7;
