import { randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import {
  authPayload,
  decodeFrame,
  deriveLinkKeys,
  type EphemeralKey,
  encodeFrame,
  ephemeralKey,
  type Frame,
  generateIdentity,
  type HelloFrame,
  LinkCipher,
  type LinkKeys,
  type NodeIdentity,
  PROTOCOL_VERSION,
} from "../../src/p2p";

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A hand-driven peer on a real websocket, for hostile tests: it speaks the protocol only
 * as far as the test tells it to. Once both hellos have passed, what it sends and
 * receives is sealed with the link's keys, as a node's frames are.
 */
export class RawPeer {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly closed: Promise<Closed>;
  readonly opened: Promise<void>;
  private waiters: Array<() => void> = [];
  private readonly ephemeral: EphemeralKey = ephemeralKey(new Uint8Array(randomBytes(32)));
  private ownHello: Uint8Array | undefined;
  private theirHello: { frame: HelloFrame; bytes: Uint8Array } | undefined;
  private keys: LinkKeys | undefined;
  private cipher: LinkCipher | undefined;

  constructor(
    address: string,
    readonly identity: NodeIdentity = generateIdentity(),
  ) {
    this.ws = new WebSocket(`ws://${address}`, {
      perMessageDeflate: false,
      maxPayload: 64 * 1024 * 1024,
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("error", reject);
    });
    this.closed = new Promise((resolve) =>
      this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ws.on("error", () => {});
    this.ws.on("message", (data: Buffer) => {
      const plain = this.cipher === undefined ? new Uint8Array(data) : this.cipher.open(data);
      try {
        if (plain === undefined) throw new Error("does not open");
        const frame = decodeFrame(plain);
        if (frame.type === "hello" && this.theirHello === undefined) {
          this.theirHello = { frame, bytes: plain };
          this.keyUp();
        }
        this.frames.push(frame);
      } catch {
        // The node never sends malformed frames; ignore rather than fail here.
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  async frame<T extends Frame["type"]>(type: T, ms = 5000): Promise<Extract<Frame, { type: T }>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const f = this.frames.find((x) => x.type === type);
      if (f) return f as Extract<Frame, { type: T }>;
      if (Date.now() > deadline) throw new Error(`no ${type} frame within ${ms} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  /** Bytes as the plaintext of one frame: sealed once the link has its keys. */
  sendRaw(bytes: Uint8Array): void {
    this.sendWire(this.cipher === undefined ? bytes : this.cipher.seal(bytes));
  }

  /** Bytes straight onto the socket, never sealed. */
  sendWire(bytes: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
  }

  send(frame: Frame): void {
    this.sendRaw(encodeFrame(frame));
  }

  hello(network: string, overrides: Partial<HelloFrame> = {}): HelloFrame {
    const hello: HelloFrame = {
      type: "hello",
      network,
      id: this.identity.id,
      publicKey: this.identity.publicKey,
      protocol: PROTOCOL_VERSION,
      version: "test",
      challenge: new Uint8Array(randomBytes(32)),
      ephemeralKey: this.ephemeral.publicKey,
      listen: "",
      ...overrides,
    };
    const bytes = encodeFrame(hello);
    this.sendRaw(bytes);
    this.ownHello ??= bytes;
    this.keyUp();
    return hello;
  }

  /** The signature this peer would send to answer `theirs`. */
  authFor(network: string, theirs: HelloFrame): Uint8Array {
    return this.identity.sign(
      authPayload({
        network,
        challenge: theirs.challenge,
        signer: this.identity.id,
        verifier: theirs.id,
        transcript: this.keys?.transcript ?? new Uint8Array(32),
      }),
    );
  }

  /** Derives the link's keys once both hellos are known. */
  private keyUp(): void {
    const theirs = this.theirHello;
    const key = theirs?.frame.ephemeralKey;
    if (this.keys !== undefined || this.ownHello === undefined || theirs === undefined) return;
    if (key === undefined) return;
    this.keys = deriveLinkKeys({
      own: this.ephemeral,
      theirs: key,
      ownHello: this.ownHello,
      theirHello: theirs.bytes,
    });
    if (this.keys !== undefined)
      this.cipher = new LinkCipher(this.keys.sendKey, this.keys.receiveKey);
  }

  /** A full, honest handshake. */
  async handshake(network: string): Promise<HelloFrame> {
    await this.opened;
    this.hello(network);
    const theirs = await this.frame("hello");
    this.send({ type: "auth", signature: this.authFor(network, theirs) });
    await this.frame("auth");
    return theirs;
  }

  close(): void {
    this.ws.terminate();
  }
}
