import type { PeerConfig, PeerInfo } from "./contract";
import { keepConnection } from "./keepConnection";
import type { PeerLink, StaticSlot } from "./peerLink";

/**
 * Who this node is connected to: every open link, the one authenticated link per peer id,
 * and the static peers from config with their redial state.
 */
export class PeerTable {
  /** Every connection not yet closed, authenticated or not. */
  readonly links = new Set<PeerLink>();
  /** The authenticated connection of each peer, in the order they connected. */
  readonly byId = new Map<string, PeerLink>();
  readonly slots: StaticSlot[];
  private authOrder = 0;

  constructor(peers: readonly PeerConfig[]) {
    this.slots = peers.map((peer) => ({
      address: peer.address,
      knownId: peer.id,
      expectedId: peer.id,
      attempt: 0,
      link: undefined,
      cancelTimer: undefined,
      disabled: false,
    }));
  }

  get size(): number {
    return this.byId.size;
  }

  get(peerId: string): PeerLink | undefined {
    return this.byId.get(peerId);
  }

  /** Connections not yet authenticated; `handshakeOnly` leaves out those still opening. */
  pending(handshakeOnly = false): number {
    let count = 0;
    for (const link of this.links) {
      if (link.state === "handshake" || (!handshakeOnly && link.state === "opening")) count += 1;
    }
    return count;
  }

  inbound(): number {
    let count = 0;
    for (const link of this.byId.values()) if (link.direction === "inbound") count += 1;
    return count;
  }

  /** Stamps a link that just authenticated, for the duplicate-connection rule. */
  stampAuthenticated(link: PeerLink): void {
    this.authOrder += 1;
    link.authOrder = this.authOrder;
  }

  /** Of two authenticated links to `peerId`, the one both sides keep (keepConnection). */
  survivor(selfId: string, peerId: string, existing: PeerLink, link: PeerLink): PeerLink {
    const candidate = (l: PeerLink) => ({
      dialer: l.direction === "outbound" ? selfId : peerId,
      order: l.authOrder,
      l,
    });
    return keepConnection(candidate(existing), candidate(link)).l;
  }

  list(): PeerInfo[] {
    return [...this.byId.values()].map((link) => link.info());
  }
}
