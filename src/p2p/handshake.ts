import { authPayload } from "./authPayload";
import { encodeFrame } from "./encodeFrame";
import { PROTOCOL_VERSION } from "./frameLimits";
import type { AuthFrame, Frame, HelloFrame } from "./frameTypes";
import { helloRefusal } from "./helloRefusal";
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
 * The hello/auth exchange that opens every link: each side sends its hello (network,
 * identity, versions, a fresh challenge), checks the other's, then signs the other's
 * challenge. A mismatch closes the link with its own reason.
 */
export class Handshake {
  constructor(
    private readonly ctx: P2PContext,
    private readonly host: HandshakeHost,
  ) {}

  /** Our hello, the first frame on a link that just opened. */
  sendHello(link: PeerLink): void {
    const { options } = this.ctx;
    const hello: HelloFrame = {
      type: "hello",
      network: options.networkId,
      id: this.ctx.id,
      publicKey: options.identity.publicKey,
      protocol: PROTOCOL_VERSION,
      version: options.version,
      challenge: link.challenge,
      listen: this.host.listenAddress ?? "",
    };
    this.host.write(link, encodeFrame(hello));
  }

  /** A frame received before the link authenticated. */
  onFrame(link: PeerLink, frame: Frame): void {
    if (frame.type === "hello") this.onHello(link, frame);
    else if (frame.type === "auth") this.onAuth(link, frame);
    else this.host.reject(link, "not_authenticated", frame.type);
  }

  private onHello(link: PeerLink, hello: HelloFrame): void {
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
    link.hello = hello;
    const signature = options.identity.sign(
      authPayload({
        network: options.networkId,
        challenge: hello.challenge,
        signer: this.ctx.id,
        verifier: hello.id,
      }),
    );
    this.host.write(link, encodeFrame({ type: "auth", signature }));
  }

  private onAuth(link: PeerLink, auth: AuthFrame): void {
    const hello = link.hello;
    if (hello === undefined) {
      this.host.reject(link, "protocol_violation", "auth before hello");
      return;
    }
    const payload = authPayload({
      network: this.ctx.options.networkId,
      challenge: link.challenge,
      signer: hello.id,
      verifier: this.ctx.id,
    });
    if (!verifySignature(hello.publicKey, payload, auth.signature)) {
      this.host.reject(link, "bad_signature");
      return;
    }
    this.host.authenticated(link, hello.id);
  }
}
