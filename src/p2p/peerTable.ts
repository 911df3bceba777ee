import type { PeerConfig, PeerInfo } from "./contract";
import { keepConnection } from "./keepConnection";
import type { PeerLink, StaticSlot } from "./peerLink";

/** What becomes of a link whose peer just proved its id (PeerTable.admission). */
export type Admission =
  /** The peer's only link: it joins the table. */
  | { readonly kind: "join" }
  /** A second link to the peer, kept by the duplicate rule: it replaces `existing`. */
  | { readonly kind: "replace"; readonly existing: PeerLink }
  /** A second link to the peer that the duplicate rule drops. */
  | { readonly kind: "duplicate" }
  /** An inbound link over maxInboundPeers. */
  | { readonly kind: "full" };

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

  /**
   * Whether a link just authenticated as `peerId` joins the table: of two links to one
   * peer, both sides keep the same one (keepConnection); inbound peers are bounded.
   */
  admission(link: PeerLink, peerId: string, selfId: string, maxInbound: number): Admission {
    const existing = this.byId.get(peerId);
    if (existing !== undefined) {
      const candidate = (l: PeerLink) => ({
        dialer: l.direction === "outbound" ? selfId : peerId,
        order: l.authOrder,
        l,
      });
      const kept = keepConnection(candidate(existing), candidate(link)).l;
      return kept === existing ? { kind: "duplicate" } : { kind: "replace", existing };
    }
    if (link.direction === "inbound" && this.inbound() >= maxInbound) return { kind: "full" };
    return { kind: "join" };
  }

  list(): PeerInfo[] {
    return [...this.byId.values()].map((link) => link.info());
  }
}
