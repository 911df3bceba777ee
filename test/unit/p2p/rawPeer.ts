import { randomBytes } from "node:crypto";
import {
  authPayload,
  type Connection,
  decodeFrame,
  deriveLinkKeys,
  encodeFrame,
  ephemeralKey,
  type Frame,
  generateIdentity,
  type HelloFrame,
  LinkCipher,
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
  /** Frames received from the node, opened and decoded. */
  readonly frames: Frame[];
  closed: { code: number; reason: string } | undefined;
  /** The node's hello, once received. */
  theirHello: HelloFrame | undefined;
  /** The link's cipher, once both hellos are known: send() and sendRaw() seal with it. */
  cipher: LinkCipher | undefined;
  send(frame: Frame): void;
  /** Bytes as the plaintext of one frame: sealed once the link has keys. */
  sendRaw(bytes: Uint8Array): void;
  /** Bytes straight onto the connection, never sealed. */
  sendWire(bytes: Uint8Array): void;
  /** Our hello; an override of undefined leaves that field out. */
  hello(overrides?: { [K in keyof HelloFrame]?: HelloFrame[K] | undefined }): void;
  /** A correct auth over the node's challenge and the transcript. */
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
  const ephemeral = ephemeralKey(new Uint8Array(randomBytes(32)));
  const conn = transport.dial(address);
  let ownHello: Uint8Array | undefined;
  let theirHelloBytes: Uint8Array | undefined;
  let transcript: Uint8Array | undefined;
  const keyUp = (): void => {
    const theirs = peer.theirHello?.ephemeralKey;
    if (peer.cipher !== undefined || ownHello === undefined || theirs === undefined) return;
    const keys = deriveLinkKeys({
      own: ephemeral,
      theirs,
      ownHello,
      theirHello: theirHelloBytes as Uint8Array,
    });
    if (keys === undefined) throw new Error("the node's ephemeral key is unusable");
    transcript = keys.transcript;
    peer.cipher = new LinkCipher(keys.sendKey, keys.receiveKey);
  };
  const peer: RawPeer = {
    conn,
    identity,
    challenge: new Uint8Array(32).fill(7),
    opened: false,
    frames: [],
    closed: undefined,
    theirHello: undefined,
    cipher: undefined,
    send: (frame) => peer.sendRaw(encodeFrame(frame)),
    sendRaw: (bytes) => conn.send(peer.cipher === undefined ? bytes : peer.cipher.seal(bytes)),
    sendWire: (bytes) => conn.send(bytes),
    hello: (overrides = {}) => {
      const bytes = encodeFrame({
        type: "hello",
        network,
        id: identity.id,
        publicKey: identity.publicKey,
        protocol: PROTOCOL_VERSION,
        version: "raw",
        challenge: peer.challenge,
        ephemeralKey: ephemeral.publicKey,
        listen: "",
        ...overrides,
      } as HelloFrame);
      peer.sendRaw(bytes);
      ownHello ??= bytes;
      keyUp();
    },
    auth: () => {
      const theirs = peer.theirHello;
      if (theirs === undefined || transcript === undefined) {
        throw new Error("no hello from the node yet");
      }
      const payload = authPayload({
        network,
        challenge: theirs.challenge,
        signer: identity.id,
        verifier: theirs.id,
        transcript,
      });
      peer.send({ type: "auth", signature: identity.sign(payload) });
    },
  };
  conn.setHandlers({
    onOpen: () => {
      peer.opened = true;
    },
    onMessage: (data) => {
      const plain = peer.cipher === undefined ? data : peer.cipher.open(data);
      // A peer replaying another session's bytes cannot open what the node sends it.
      if (plain === undefined) return;
      let frame: Frame;
      try {
        frame = decodeFrame(plain);
      } catch {
        return;
      }
      if (frame.type === "hello" && peer.theirHello === undefined) {
        peer.theirHello = frame;
        theirHelloBytes = plain;
        keyUp();
      }
      peer.frames.push(frame);
    },
    onClose: (code, reason) => {
      peer.closed = { code, reason };
    },
  });
  return peer;
}
