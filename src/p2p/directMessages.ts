import type { DirectMessage } from "./contract";
import { encodeOwnFrame } from "./encodeOwnFrame";
import type { LinkWriter, P2PContext } from "./p2pContext";
import { P2PError } from "./p2pError";
import type { PeerTable } from "./peerTable";

/**
 * Point-to-point messages between engines of two connected nodes: calls, casts and their
 * replies, which the router gives meaning to. Only direct neighbours are reachable: a
 * message is never relayed through another node (see unreachable).
 */
export class DirectMessages {
  constructor(
    private readonly ctx: P2PContext,
    private readonly table: PeerTable,
    private readonly links: LinkWriter,
  ) {}

  /** See P2PNode.sendDirect. */
  send(peerId: string, message: DirectMessage): boolean {
    const bytes = encodeOwnFrame({ type: "msg", message }, "send message");
    const counters = this.ctx.counters.direct;
    const link = this.table.get(peerId);
    if (link === undefined || link.state !== "authenticated") {
      counters.dropped += 1;
      return false;
    }
    if (link.conn.bufferedAmount > this.ctx.options.highWaterMarkBytes) {
      counters.dropped += 1;
      return false;
    }
    counters.sent += 1;
    this.links.write(link, bytes);
    return true;
  }

  /**
   * Why a message to `peerId` cannot leave now, or undefined when it can. Messages are not
   * routed through other nodes: every hop's link is encrypted for that hop only, so a relay
   * would read (and could alter) what it carries; a node that needs to reach another
   * connects to it (p2p.peers, or an address peer exchange learned).
   */
  unreachable(peerId: string): P2PError | undefined {
    const link = this.table.get(peerId);
    if (link === undefined || link.state !== "authenticated") {
      return new P2PError(
        { code: "P2P_PEER_NOT_DIRECT", peer: peerId },
        `Cannot reach node ${peerId}: it is not directly connected to this node, and messages are not routed through other nodes (connect to it: p2p.peers, or peer exchange)`,
      );
    }
    if (link.conn.bufferedAmount > this.ctx.options.highWaterMarkBytes) {
      return new P2PError(
        { code: "P2P_PEER_CONGESTED", peer: peerId },
        `Cannot reach node ${peerId} now: its connection has more than ${this.ctx.options.highWaterMarkBytes} bytes waiting`,
      );
    }
    return undefined;
  }

  /** A message from an authenticated peer. */
  receive(peerId: string, message: DirectMessage): void {
    const { ctx } = this;
    ctx.counters.direct.received += 1;
    ctx.emit(() => ctx.events.onMessage?.(peerId, message));
  }
}
