import { encodeFrame } from "./encodeFrame";
import type { PingFrame, PongFrame } from "./frameTypes";
import type { LinkWriter, P2PContext } from "./p2pContext";
import type { PeerLink } from "./peerLink";
import type { PeerTable } from "./peerTable";

/**
 * Pings every connected peer each pingIntervalMs (its latency), answers the peer's pings,
 * and closes a peer silent for peerTimeoutMs (no frame of any kind).
 */
export class Keepalive {
  private cancelTick: (() => void) | undefined;
  private nonce = 0;

  constructor(
    private readonly ctx: P2PContext,
    private readonly table: PeerTable,
    private readonly links: LinkWriter,
  ) {}

  start(): void {
    this.cancelTick = this.ctx.clock.setTimeout(() => this.tick(), this.ctx.options.pingIntervalMs);
  }

  stop(): void {
    this.cancelTick?.();
    this.cancelTick = undefined;
  }

  onPing(link: PeerLink, ping: PingFrame): void {
    this.links.write(link, encodeFrame({ type: "pong", nonce: ping.nonce }));
  }

  onPong(link: PeerLink, pong: PongFrame): void {
    if (pong.nonce !== link.pingNonce) return;
    link.latencyMs = this.ctx.clock.now() - link.pingSentAt;
    link.pingNonce = undefined;
  }

  private tick(): void {
    const now = this.ctx.clock.now();
    for (const link of [...this.table.byId.values()]) {
      if (now - link.lastSeen > this.ctx.options.peerTimeoutMs) {
        this.links.reject(link, "peer_timeout");
        continue;
      }
      this.nonce += 1;
      link.pingNonce = this.nonce;
      link.pingSentAt = now;
      this.links.write(link, encodeFrame({ type: "ping", nonce: this.nonce }));
    }
    this.start();
  }
}
