import type { DirectMessage } from "./contract";
import { encodeOwnFrame } from "./encodeOwnFrame";
import type { LinkWriter, P2PContext } from "./p2pContext";
import type { PeerTable } from "./peerTable";

/**
 * Point-to-point messages between engines of two connected nodes: calls, casts and their
 * replies, which the router gives meaning to. Only direct neighbours are reachable.
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

  /** A message from an authenticated peer. */
  receive(peerId: string, message: DirectMessage): void {
    const { ctx } = this;
    ctx.counters.direct.received += 1;
    ctx.emit(() => ctx.events.onMessage?.(peerId, message));
  }
}
