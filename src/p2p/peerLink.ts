import type { PeerInfo } from "./contract";
import type { HelloFrame } from "./frameTypes";
import type { LinkCipher } from "./linkCipher";
import type { EphemeralKey } from "./linkKeys";
import type { RateLimitOptions } from "./p2pOptions";
import { TokenBucket } from "./tokenBucket";
import type { Connection } from "./transport";

/** A static peer from config and its redial state. */
export interface StaticSlot {
  readonly address: string;
  /** The configured id, else the id learned at the first handshake. */
  knownId: string | undefined;
  readonly expectedId: string | undefined;
  attempt: number;
  link: PeerLink | undefined;
  cancelTimer: (() => void) | undefined;
  /** Set when the address turned out to be ourselves: dialing it again is pointless. */
  disabled: boolean;
  /** A peer learned by peer exchange: dialed once, never redialed (Pex decides again). */
  readonly learned?: boolean;
  /** Set when a link from this slot authenticated. */
  authenticatedOnce?: boolean;
}

export type LinkState = "opening" | "handshake" | "authenticated" | "closing" | "closed";

/** One connection and everything the peer manager tracks about it. */
export class PeerLink {
  state: LinkState = "opening";
  hello: HelloFrame | undefined;
  /** This link's X25519 key pair, made when our hello goes out (not for refused links). */
  ephemeral: EphemeralKey | undefined;
  /** The bytes of the hello we sent: half of the transcript. */
  ownHello: Uint8Array | undefined;
  /** Set once both hellos are in: every frame from then on, either way, is sealed. */
  cipher: LinkCipher | undefined;
  /** What both auth signatures cover (deriveLinkKeys). */
  transcript: Uint8Array | undefined;
  connectedAt = 0;
  /** Local order of authentication, for the duplicate-connection rule. */
  authOrder = 0;
  lastSeen: number;
  latencyMs: number | undefined;
  pingNonce: number | undefined;
  pingSentAt = 0;
  bytesIn = 0;
  bytesOut = 0;
  framesIn = 0;
  framesOut = 0;
  cancelDeadline: (() => void) | undefined;
  readonly frameBucket: TokenBucket;
  readonly byteBucket: TokenBucket;

  constructor(
    readonly conn: Connection,
    readonly direction: "inbound" | "outbound",
    readonly address: string,
    readonly challenge: Uint8Array,
    readonly slot: StaticSlot | undefined,
    rate: RateLimitOptions,
    now: number,
  ) {
    this.lastSeen = now;
    this.frameBucket = new TokenBucket(rate.framesPerSecond, rate.frameBurst, now);
    this.byteBucket = new TokenBucket(rate.bytesPerSecond, rate.byteBurst, now);
  }

  get peerId(): string | undefined {
    return this.hello?.id;
  }

  /** Sends one frame, sealed once the link has its keys. */
  send(frame: Uint8Array): void {
    const bytes = this.cipher === undefined ? frame : this.cipher.seal(frame);
    this.framesOut += 1;
    this.bytesOut += bytes.length;
    this.conn.send(bytes);
  }

  info(): PeerInfo {
    return {
      id: this.peerId ?? "",
      address: this.address,
      direction: this.direction,
      connectedAt: this.connectedAt,
      ...(this.latencyMs === undefined ? {} : { latencyMs: this.latencyMs }),
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      ...(this.hello === undefined
        ? {}
        : { version: this.hello.version, listenAddress: this.hello.listen }),
    };
  }
}
