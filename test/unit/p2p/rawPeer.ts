import {
  authPayload,
  type Connection,
  decodeFrame,
  encodeFrame,
  type Frame,
  generateIdentity,
  type HelloFrame,
  type NodeIdentity,
  PROTOCOL_VERSION,
  type Transport,
} from "../../../src/p2p";
import { NETWORK } from "./helpers";

/** A hand-driven peer that speaks the wire protocol frame by frame, for hostile tests. */
export interface RawPeer {
  readonly conn: Connection;
  readonly identity: NodeIdentity;
  readonly challenge: Uint8Array;
  opened: boolean;
  /** Frames received from the node, decoded. */
  readonly frames: Frame[];
  closed: { code: number; reason: string } | undefined;
  /** The node's hello, once received. */
  theirHello: HelloFrame | undefined;
  send(frame: Frame): void;
  sendRaw(bytes: Uint8Array): void;
  hello(overrides?: Partial<HelloFrame>): void;
  /** A correct auth over the node's challenge. */
  auth(): void;
}

export interface RawPeerOptions {
  readonly identity?: NodeIdentity;
  readonly network?: string;
}

export function rawPeer(
  transport: Transport,
  address: string,
  options: RawPeerOptions = {},
): RawPeer {
  const identity = options.identity ?? generateIdentity();
  const network = options.network ?? NETWORK;
  const conn = transport.dial(address);
  const peer: RawPeer = {
    conn,
    identity,
    challenge: new Uint8Array(32).fill(7),
    opened: false,
    frames: [],
    closed: undefined,
    theirHello: undefined,
    send: (frame) => conn.send(encodeFrame(frame)),
    sendRaw: (bytes) => conn.send(bytes),
    hello: (overrides = {}) =>
      peer.send({
        type: "hello",
        network,
        id: identity.id,
        publicKey: identity.publicKey,
        protocol: PROTOCOL_VERSION,
        version: "raw",
        challenge: peer.challenge,
        listen: "",
        ...overrides,
      }),
    auth: () => {
      const theirs = peer.theirHello;
      if (theirs === undefined) throw new Error("no hello from the node yet");
      const payload = authPayload({
        network,
        challenge: theirs.challenge,
        signer: identity.id,
        verifier: theirs.id,
      });
      peer.send({ type: "auth", signature: identity.sign(payload) });
    },
  };
  conn.setHandlers({
    onOpen: () => {
      peer.opened = true;
    },
    onMessage: (data) => {
      const frame = decodeFrame(data);
      if (frame.type === "hello") peer.theirHello = frame;
      peer.frames.push(frame);
    },
    onClose: (code, reason) => {
      peer.closed = { code, reason };
    },
  });
  return peer;
}
