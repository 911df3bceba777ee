import type { GossipVerdict } from "./contract";
import { encodeFrame } from "./encodeFrame";
import { encodeOwnFrame } from "./encodeOwnFrame";
import type { GossipFrame } from "./frameTypes";
import { gossipId } from "./gossipId";
import type { LinkWriter, P2PContext } from "./p2pContext";
import type { PeerLink } from "./peerLink";
import type { PeerTable } from "./peerTable";
import { PendingValidations } from "./pendingValidations";
import { SeenCache } from "./seenCache";

/** A message on a validated topic, delivered and held until its verdict. */
interface HeldGossip {
  readonly frame: GossipFrame;
  /** The connection it came on: the one a "reject" closes. */
  readonly link: PeerLink;
  readonly from: string;
}

/** Gossip sequence numbers start at random below this, so a restarted node's ids are new. */
const SEQ_START_RANGE = 2 ** 48;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Flooding gossip with a seen-cache and a hop limit. Gossip is not delivered to its own
 * publisher: the caller already has what it published.
 *
 * On a validated topic (options.validatedTopics) a message is delivered at once but relayed
 * only when the subscriber's verdict says so (reportValidationResult), as libp2p GossipSub
 * does: a body only the application can judge (a signed release) never travels past the
 * first node that finds it forged, and the peer that sent it is closed.
 */
export class Gossip {
  private readonly seen: SeenCache;
  private readonly validatedTopics: ReadonlySet<string>;
  private readonly pending: PendingValidations<HeldGossip>;
  private seq: number;

  constructor(
    private readonly ctx: P2PContext,
    private readonly table: PeerTable,
    private readonly links: LinkWriter,
    seqStart: number,
  ) {
    const { options } = ctx;
    this.seen = new SeenCache({ ttlMs: options.seenTtlMs, maxEntries: options.seenMaxEntries });
    this.validatedTopics = new Set(options.validatedTopics ?? []);
    this.pending = new PendingValidations(
      { maxPending: options.maxPendingValidations, timeoutMs: options.validationTimeoutMs },
      ctx.clock,
    );
    this.seq = Math.floor(seqStart * SEQ_START_RANGE);
  }

  /** Messages awaiting a verdict now. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Forgets every message awaiting a verdict (the node is stopping). */
  stop(): void {
    this.pending.clear();
  }

  /** Floods `body` on `topic` to every peer; returns the message id (32 hex chars). */
  publish(topic: string, body: unknown): string {
    const seq = this.seq;
    this.seq += 1;
    const origin = this.ctx.id;
    const id = gossipId(origin, seq, topic);
    const frame: GossipFrame = { type: "gossip", id, origin, seq, topic, hops: 1, body };
    const bytes = encodeOwnFrame(frame, "publish");
    const idHex = hex(id);
    this.seen.add(idHex, this.ctx.clock.now());
    this.ctx.counters.gossip.published += 1;
    this.fanOut(bytes, undefined, origin);
    return idHex;
  }

  /** See P2PNode.reportValidationResult. */
  reportValidationResult(id: string, verdict: GossipVerdict): boolean {
    const held = this.pending.take(id);
    if (held === undefined) return false;
    const { frame, link, from } = held;
    const counters = this.ctx.counters.validation;
    switch (verdict) {
      case "accept":
        counters.accepted += 1;
        if (frame.hops < this.ctx.options.hopLimit) {
          this.fanOut(encodeFrame({ ...frame, hops: frame.hops + 1 }), from, frame.origin);
        }
        return true;
      case "reject":
        counters.rejected += 1;
        // Only the connection it came on: a peer that reconnected since is judged afresh.
        if (this.table.get(from) === link) this.links.reject(link, "invalid_gossip", frame.topic);
        return true;
      case "ignore":
        counters.ignored += 1;
        return true;
    }
  }

  /** A gossip frame from an authenticated peer. */
  receive(link: PeerLink, peerId: string, frame: GossipFrame): void {
    const { ctx } = this;
    if (!sameBytes(frame.id, gossipId(frame.origin, frame.seq, frame.topic))) {
      this.links.reject(link, "invalid_frame", "gossip id mismatch");
      return;
    }
    const idHex = hex(frame.id);
    const now = ctx.clock.now();
    if (this.seen.has(idHex, now)) {
      ctx.counters.gossip.duplicates += 1;
      return;
    }
    const validated = this.validatedTopics.has(frame.topic);
    if (validated && this.pending.full) {
      // Not marked seen: once the backlog clears, another copy of it can still come in.
      ctx.counters.validation.overflow += 1;
      return;
    }
    this.seen.add(idHex, now);
    ctx.counters.gossip.delivered += 1;
    // Held before delivery, so a verdict given inside onGossip itself finds it.
    if (validated) {
      this.pending.hold(idHex, { frame, link, from: peerId }, () => {
        ctx.counters.validation.timedOut += 1;
      });
    }
    const meta = { from: peerId, origin: frame.origin, id: idHex, hops: frame.hops };
    ctx.emit(() => ctx.events.onGossip?.(frame.topic, frame.body, meta));
    if (!validated && frame.hops < ctx.options.hopLimit) {
      this.fanOut(encodeFrame({ ...frame, hops: frame.hops + 1 }), peerId, frame.origin);
    }
  }

  /** Sends a gossip frame to every peer but the one it came from and its origin. */
  private fanOut(bytes: Uint8Array, from: string | undefined, origin: string): void {
    const { counters, options } = this.ctx;
    for (const [peerId, peer] of this.table.byId) {
      if (peerId === from || peerId === origin || peer.state !== "authenticated") continue;
      if (peer.conn.bufferedAmount > options.highWaterMarkBytes) {
        counters.gossip.dropped += 1;
        continue;
      }
      counters.gossip.forwarded += 1;
      this.links.write(peer, bytes);
    }
  }
}
