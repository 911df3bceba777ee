import { authPayload } from "./authPayload";
import { encodeFrame } from "./encodeFrame";
import { EPHEMERAL_KEY_BYTES, PROTOCOL_VERSION } from "./frameLimits";
import type { AuthFrame, Frame, HelloFrame } from "./frameTypes";
import { helloRefusal } from "./helloRefusal";
import { LinkCipher } from "./linkCipher";
import { deriveLinkKeys, ephemeralKey } from "./linkKeys";
import type { LinkWriter, P2PContext } from "./p2pContext";
import type { PeerLink } from "./peerLink";
import { verifySignature } from "./verifySignature";

/** What the handshake needs from the links it runs on. */
export interface HandshakeHost extends LinkWriter {
  readonly listenAddress: string | undefined;
  /** The peer proved its identity: the link joins the peer table (or loses a tie-break). */
  authenticated(link: PeerLink, peerId: string): void;
}

/**
 * The exchange that opens every link. Each side sends its hello in the clear (network,
 * identity, versions, a fresh challenge, a fresh X25519 key) and checks the other's; both
 * then derive the link's keys from the two ephemeral keys and the two hellos
 * (deriveLinkKeys), and from there on every frame is sealed (LinkCipher). The first sealed
 * frame each way is the auth: an ed25519 signature over the peer's challenge and the
 * transcript, which binds the node's identity to this link's keys. A mismatch closes the
 * link with its own reason.
 */
export class Handshake {
  constructor(
    private readonly ctx: P2PContext,
    private readonly host: HandshakeHost,
    private readonly randomBytes: (length: number) => Uint8Array,
  ) {}

  /** Our hello, the first frame on a link that just opened. */
  sendHello(link: PeerLink): void {
    const { options } = this.ctx;
    const ephemeral = ephemeralKey(this.randomBytes(EPHEMERAL_KEY_BYTES));
    link.ephemeral = ephemeral;
    const hello: HelloFrame = {
      type: "hello",
      network: options.networkId,
      id: this.ctx.id,
      publicKey: options.identity.publicKey,
      protocol: PROTOCOL_VERSION,
      version: options.version,
      challenge: link.challenge,
      ephemeralKey: ephemeral.publicKey,
      listen: this.host.listenAddress ?? "",
    };
    const bytes = encodeFrame(hello);
    link.ownHello = bytes;
    this.host.write(link, bytes);
  }

  /** A frame received before the link authenticated, and its (plaintext) bytes. */
  onFrame(link: PeerLink, frame: Frame, bytes: Uint8Array): void {
    if (frame.type === "hello") this.onHello(link, frame, bytes);
    else if (frame.type === "auth") this.onAuth(link, frame);
    else this.host.reject(link, "not_authenticated", frame.type);
  }

  private onHello(link: PeerLink, hello: HelloFrame, bytes: Uint8Array): void {
    const { options, log } = this.ctx;
    const refusal =
      link.hello !== undefined
        ? { key: "protocol_violation" as const, detail: "second hello" }
        : helloRefusal(hello, {
            networkId: options.networkId,
            selfId: this.ctx.id,
            expectedId: link.slot?.expectedId,
          });
    if (refusal !== undefined) {
      if (refusal.key === "self_connection" && link.slot !== undefined) {
        link.slot.disabled = true;
        log.warn("static peer is this node itself; not dialing it again", {
          address: link.address,
        });
      }
      this.host.reject(link, refusal.key, refusal.detail);
      return;
    }
    if (link.ephemeral === undefined || link.ownHello === undefined) {
      // The transports deliver nothing before the open that sends our hello.
      this.host.reject(link, "protocol_violation", "hello before ours");
      return;
    }
    const keys = deriveLinkKeys({
      own: link.ephemeral,
      theirs: hello.ephemeralKey as Uint8Array,
      ownHello: link.ownHello,
      theirHello: bytes,
    });
    if (keys === undefined) {
      this.host.reject(link, "bad_key_exchange");
      return;
    }
    link.hello = hello;
    link.transcript = keys.transcript;
    link.cipher = new LinkCipher(keys.sendKey, keys.receiveKey);
    const signature = options.identity.sign(
      authPayload({
        network: options.networkId,
        challenge: hello.challenge,
        signer: this.ctx.id,
        verifier: hello.id,
        transcript: keys.transcript,
      }),
    );
    this.host.write(link, encodeFrame({ type: "auth", signature }));
  }

  private onAuth(link: PeerLink, auth: AuthFrame): void {
    const hello = link.hello;
    const transcript = link.transcript;
    if (hello === undefined || transcript === undefined) {
      this.host.reject(link, "protocol_violation", "auth before hello");
      return;
    }
    const payload = authPayload({
      network: this.ctx.options.networkId,
      challenge: link.challenge,
      signer: hello.id,
      verifier: this.ctx.id,
      transcript,
    });
    if (!verifySignature(hello.publicKey, payload, auth.signature)) {
      this.host.reject(link, "bad_signature");
      return;
    }
    this.host.authenticated(link, hello.id);
  }
}
