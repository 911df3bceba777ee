import { createHash } from "node:crypto";
import type { GossipVerdict, Rng } from "./contract";
import { addIHave, addTopic, splitControl } from "./controlFrame";
import { encodeFrame } from "./encodeFrame";
import { encodeOwnFrame } from "./encodeOwnFrame";
import { MAX_CONTROL_IDS } from "./frameLimits";
import type { ControlFrame, GossipFrame } from "./frameTypes";
import { gossipId } from "./gossipId";
import { MessageCache } from "./messageCache";
import { packr } from "./msgpack";
import type { LinkWriter, P2PContext } from "./p2pContext";
import type { PeerLink } from "./peerLink";
import { PeerScores } from "./peerScores";
import type { PeerTable } from "./peerTable";
import { PendingValidations } from "./pendingValidations";
import { pick } from "./pick";
import { SeenCache } from "./seenCache";
import { TopicMeshes } from "./topicMeshes";
import { type Wanted, WantList } from "./wantList";

/** A message on a validated topic, delivered and held until its verdict. */
interface HeldGossip {
  readonly frame: GossipFrame;
  /** The connection it came on: the one a "reject" closes. */
  readonly link: PeerLink;
  readonly from: string;
}

/** Our own publications by body, so publishing one again re-announces its first id. */
interface OwnMessage {
  readonly idHex: string;
  readonly cached: { id: Uint8Array; topic: string; bytes: Uint8Array };
  readonly at: number;
}

/** Gossip sequence numbers start at random below this, so a restarted node's ids are new. */
const SEQ_START_RANGE = 2 ** 48;
/** Messages held in the message cache across its windows. */
const MAX_CACHED = 20_000;
/** Own publications remembered by body (see OwnMessage). */
const MAX_OWN = 4_096;
/** IHAVE frames accepted from one peer per heartbeat (GossipSub's max_ihave_messages). */
const MAX_IHAVE_PER_HEARTBEAT = 10;
/** Messages served to one peer per heartbeat in answer to IWANT. */
const MAX_SERVED_PER_HEARTBEAT = 2_000;
/** Pushed duplicates from one peer per heartbeat before it counts as flooding. */
const MAX_DUPLICATES_PER_HEARTBEAT = 200;
/** Peers scored; more than connections, so a reconnecting peer keeps its score. */
const MAX_SCORED_PEERS = 4_096;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function bodyKey(topic: string, body: unknown): string {
  return createHash("sha256")
    .update(topic)
    .update(Buffer.of(0))
    .update(packr.pack(body))
    .digest("hex");
}

/**
 * Mesh gossip in the manner of libp2p GossipSub v1.1, with the eager/lazy split of
 * Plumtree (epidemic broadcast trees) inside each topic's mesh:
 *
 * - Every topic has a mesh of about D peers (TopicMeshes, kept between D_low and D_high
 *   by GRAFT and PRUNE at each heartbeat). A message goes whole only to mesh peers whose
 *   link is eager; lazy mesh peers get its id (IHAVE, batched over lazyPushDelayMs).
 * - A whole copy that arrives twice chokes the link it came on second (both ends turn it
 *   lazy), so eager links settle on a tree: about one whole copy per node per message.
 * - A node that hears of a message (IHAVE) and gets no copy within iwantTimeoutMs asks
 *   the announcer (IWANT) and unchokes that link, which repairs the tree where nodes left.
 * - Each heartbeat, ids of the last mcacheGossipWindows heartbeats are announced to
 *   D_lazy peers outside the mesh; the message cache answers IWANT for mcacheWindows.
 * - PeerScores punish invalid messages on validated topics, IHAVEs not honoured and
 *   control floods; low scores are pruned, not grafted, and below thresholds ignored.
 *
 * On a validated topic (options.validatedTopics) a message is delivered at once but
 * relayed, cached and announced only when the subscriber's verdict says so
 * (reportValidationResult). A message's id never changes on the way; publishing the same
 * body again re-announces the first id rather than making a new message.
 *
 * gossipMode "flood" keeps the old protocol (every message to every peer) to measure against.
 */
export class Gossip {
  private readonly seen: SeenCache;
  private readonly validatedTopics: ReadonlySet<string>;
  private readonly pending: PendingValidations<HeldGossip>;
  private readonly cache: MessageCache;
  private readonly scores: PeerScores;
  private readonly meshes: TopicMeshes;
  private readonly wants: WantList;
  private readonly own = new Map<string, OwnMessage>();
  private readonly outbox = new Map<string, ControlFrame>();
  private readonly ihaveIn = new Map<string, number>();
  private readonly servedTo = new Map<string, number>();
  private readonly duplicatesIn = new Map<string, number>();
  private cancelFlush: (() => void) | undefined;
  private cancelHeartbeat: (() => void) | undefined;
  private running = false;
  private seq: number;

  constructor(
    private readonly ctx: P2PContext,
    private readonly table: PeerTable,
    private readonly links: LinkWriter,
    private readonly rng: Rng,
  ) {
    const { options } = ctx;
    this.seen = new SeenCache({ ttlMs: options.seenTtlMs, maxEntries: options.seenMaxEntries });
    this.validatedTopics = new Set(options.validatedTopics ?? []);
    this.pending = new PendingValidations(
      { maxPending: options.maxPendingValidations, timeoutMs: options.validationTimeoutMs },
      ctx.clock,
    );
    this.cache = new MessageCache({
      windows: options.mcacheWindows,
      gossipWindows: options.mcacheGossipWindows,
      maxEntries: MAX_CACHED,
    });
    this.scores = new PeerScores({
      gossipThreshold: options.gossipThreshold,
      graylistThreshold: options.graylistThreshold,
      maxPeers: MAX_SCORED_PEERS,
    });
    this.meshes = new TopicMeshes(options, rng);
    this.wants = new WantList(ctx.clock, options.iwantTimeoutMs, {
      canAsk: (peerId) => this.table.get(peerId) !== undefined && this.scores.gossipsWith(peerId),
      ask: (peerId, wanted) => this.askFor(peerId, wanted),
      brokePromise: (peerId) => this.scores.record(peerId, "broken_promise"),
    });
    this.seq = Math.floor(rng.next() * SEQ_START_RANGE);
  }

  private get mesh(): boolean {
    return this.ctx.options.gossipMode === "mesh";
  }

  /** Messages awaiting a verdict now. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Peers in our topic meshes now. */
  get meshPeerCount(): number {
    return this.meshes.peerCount();
  }

  /** Mesh peers of `topic` (empty when the node has no mesh for it). */
  meshPeers(topic: string): string[] {
    return this.meshes.peersOf(topic);
  }

  /** A peer's score (0 when unknown). */
  scoreOf(peerId: string): number {
    return this.scores.score(peerId);
  }

  /** A peer connected: meshes short of D take it at once rather than at the next heartbeat. */
  peerUp(peerId: string): void {
    if (!this.mesh || this.scores.score(peerId) < 0) return;
    const now = this.ctx.clock.now();
    for (const topic of this.meshes.topics()) {
      if (this.meshes.size(topic) >= this.ctx.options.meshDegree) continue;
      if (this.meshes.inBackoff(topic, peerId, now)) continue;
      if (this.meshes.accept(topic, peerId)) this.graft(peerId, topic);
    }
  }

  /** A peer's connection ended: it leaves every mesh, so a reconnection starts afresh. */
  peerDown(peerId: string): void {
    const eagerIn = this.meshes.topics().filter((t) => this.meshes.isEager(t, peerId));
    this.meshes.remove(peerId);
    this.outbox.delete(peerId);
    // Where it carried whole messages to us, another link takes over now rather than
    // after the next message is missed and fetched.
    for (const topic of eagerIn) this.keepEager(topic, peerId);
    if (eagerIn.length > 0) this.scheduleFlush(0);
  }

  start(): void {
    this.running = true;
    if (this.mesh) this.scheduleHeartbeat();
  }

  /** Forgets every message awaiting a verdict or a copy, and stops the timers (the node is stopping). */
  stop(): void {
    // Before the links close: what their closing queues is never sent.
    this.running = false;
    this.pending.clear();
    this.cancelHeartbeat?.();
    this.cancelHeartbeat = undefined;
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.wants.clear();
    this.outbox.clear();
  }

  /** Publishes `body` on `topic`; returns the message id (32 hex chars). */
  publish(topic: string, body: unknown): string {
    const { ctx } = this;
    const now = ctx.clock.now();
    const key = this.mesh ? bodyKey(topic, body) : undefined;
    const again = key === undefined ? undefined : this.own.get(key);
    if (again !== undefined && now - again.at < ctx.options.seenTtlMs) {
      // The same body again (a re-broadcast): the same id, announced anew to the mesh and
      // kept in the cache, so peers that missed it fetch it and those that have it ignore it.
      ctx.counters.gossip.reannounced += 1;
      this.cache.put(again.idHex, again.cached);
      for (const peerId of this.meshes.ensure(topic, this.candidates(), (p) =>
        this.graft(p, topic),
      )) {
        this.queue(peerId, (f) => addIHave(f, topic, again.cached.id));
      }
      this.scheduleFlush(0);
      return again.idHex;
    }
    const seq = this.seq;
    this.seq += 1;
    const origin = ctx.id;
    const id = gossipId(origin, seq, topic);
    const frame: GossipFrame = { type: "gossip", id, origin, seq, topic, hops: 1, body };
    const bytes = encodeOwnFrame(frame, "publish");
    const idHex = hex(id);
    this.seen.add(idHex, now);
    ctx.counters.gossip.published += 1;
    if (key !== undefined) {
      if (this.own.size >= MAX_OWN) this.own.delete(this.own.keys().next().value as string);
      this.own.set(key, { idHex, cached: { id, topic, bytes }, at: now });
    }
    this.relay(frame, bytes, undefined);
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
          this.relay(frame, encodeFrame({ ...frame, hops: frame.hops + 1 }), from);
        }
        return true;
      case "reject":
        counters.rejected += 1;
        this.scores.record(from, "invalid_message");
        // Only the connection it came on: a peer that reconnected since is judged afresh.
        if (this.table.get(from) === link) this.links.reject(link, "invalid_gossip", frame.topic);
        return true;
      case "ignore":
        counters.ignored += 1;
        return true;
    }
  }

  /** A gossip frame (a whole message) from an authenticated peer. */
  receive(link: PeerLink, peerId: string, frame: GossipFrame): void {
    const { ctx } = this;
    ctx.counters.gossip.received += 1;
    if (!sameBytes(frame.id, gossipId(frame.origin, frame.seq, frame.topic))) {
      this.links.reject(link, "invalid_frame", "gossip id mismatch");
      return;
    }
    if (this.mesh && this.scores.graylisted(peerId)) {
      ctx.counters.control.ignored += 1;
      return;
    }
    const idHex = hex(frame.id);
    const now = ctx.clock.now();
    if (this.seen.has(idHex, now)) {
      ctx.counters.gossip.duplicates += 1;
      if (this.mesh) this.onDuplicate(peerId, frame.topic);
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
    if (this.mesh) {
      this.scores.record(peerId, "first_delivery");
      this.wants.arrived(idHex);
    }
    // Held before delivery, so a verdict given inside onGossip itself finds it.
    if (validated) {
      this.pending.hold(idHex, { frame, link, from: peerId }, () => {
        ctx.counters.validation.timedOut += 1;
      });
    }
    const meta = { from: peerId, origin: frame.origin, id: idHex, hops: frame.hops };
    ctx.emit(() => ctx.events.onGossip?.(frame.topic, frame.body, meta));
    if (!validated && frame.hops < ctx.options.hopLimit) {
      this.relay(frame, encodeFrame({ ...frame, hops: frame.hops + 1 }), peerId);
    }
  }

  /** A control frame from an authenticated peer. */
  control(peerId: string, frame: ControlFrame): void {
    const { counters } = this.ctx;
    counters.control.framesReceived += 1;
    if (!this.mesh || this.scores.graylisted(peerId)) {
      counters.control.ignored += 1;
      return;
    }
    for (const topic of frame.prune ?? []) this.meshes.pruned(topic, peerId, this.ctx.clock.now());
    for (const topic of frame.graft ?? []) this.onGraft(peerId, topic, false);
    for (const topic of frame.unchoke ?? []) this.onGraft(peerId, topic, true);
    for (const topic of frame.choke ?? []) this.onChoke(peerId, topic);
    if (frame.iwant !== undefined) this.onIWant(peerId, frame.iwant);
    if (frame.ihave !== undefined) this.onIHave(peerId, frame.ihave);
    this.scheduleFlush(this.ctx.options.lazyPushDelayMs);
  }

  /** Sends a message on: whole to eager mesh peers, its id to lazy ones (or, flooding, to all). */
  private relay(frame: GossipFrame, bytes: Uint8Array, from: string | undefined): void {
    if (!this.mesh) {
      for (const [peerId, link] of this.table.byId) {
        if (peerId !== from && peerId !== frame.origin) this.push(link, bytes);
      }
      return;
    }
    const { topic, id } = frame;
    this.cache.put(hex(id), { id, topic, bytes });
    const members = this.meshes.ensure(topic, this.candidates(), (p) => this.graft(p, topic));
    let lazy = false;
    for (const peerId of members) {
      if (peerId === from || peerId === frame.origin) continue;
      const link = this.table.get(peerId);
      if (link === undefined) continue;
      if (this.meshes.isEager(topic, peerId)) {
        this.push(link, bytes);
      } else {
        this.queue(peerId, (f) => addIHave(f, topic, id));
        lazy = true;
      }
    }
    if (lazy) this.scheduleFlush(this.ctx.options.lazyPushDelayMs);
  }

  private push(link: PeerLink, bytes: Uint8Array): void {
    const { counters, options } = this.ctx;
    if (link.state !== "authenticated") return;
    if (link.conn.bufferedAmount > options.highWaterMarkBytes) {
      counters.gossip.dropped += 1;
      return;
    }
    counters.gossip.forwarded += 1;
    this.links.write(link, bytes);
  }

  /** A whole copy of what we had: the link it came on need not carry whole copies to us. */
  private onDuplicate(peerId: string, topic: string): void {
    const count = (this.duplicatesIn.get(peerId) ?? 0) + 1;
    this.duplicatesIn.set(peerId, count);
    if (count === MAX_DUPLICATES_PER_HEARTBEAT) this.scores.record(peerId, "flooding");
    // A peer that pushes although we count its link as lazy (or not ours) is told to stop;
    // an eager link is choked only while more than meshEagerMin stay eager: a node cut to
    // one is a leaf whose parent leaving costs a repair.
    if (!this.meshes.isEager(topic, peerId)) {
      this.sendChoke(peerId, topic);
    } else if (this.meshes.eagerCount(topic) > this.ctx.options.meshEagerMin) {
      this.meshes.setEager(topic, peerId, false);
      this.sendChoke(peerId, topic);
    }
  }

  private sendChoke(peerId: string, topic: string): void {
    this.queue(peerId, (f) => addTopic(f, "choke", topic));
    this.ctx.counters.control.choke += 1;
    this.scheduleFlush(this.ctx.options.lazyPushDelayMs);
  }

  /**
   * A peer stops pushing whole messages to us on `topic`. Should that leave us fewer than
   * meshEagerMin eager links, a lazy mesh peer is unchoked instead, so no node ends up a
   * leaf (or cut off) because of what its neighbours decided.
   */
  private onChoke(peerId: string, topic: string): void {
    this.meshes.setEager(topic, peerId, false);
    this.keepEager(topic, peerId);
  }

  /** Unchokes a lazy mesh peer (not `except`) when fewer than meshEagerMin links are eager. */
  private keepEager(topic: string, except: string): void {
    if (this.meshes.eagerCount(topic) >= this.ctx.options.meshEagerMin) return;
    const peerId = except;
    const lazy = this.meshes
      .peersOf(topic)
      .filter((p) => p !== peerId && !this.meshes.isEager(topic, p));
    const chosen = pick(lazy, 1, this.rng)[0];
    if (chosen === undefined) return;
    this.meshes.setEager(topic, chosen, true);
    this.queue(chosen, (f) => addTopic(f, "unchoke", topic));
    this.ctx.counters.control.unchoke += 1;
  }

  private onGraft(peerId: string, topic: string, unchoke: boolean): void {
    const now = this.ctx.clock.now();
    if (this.scores.score(peerId) < 0 || this.meshes.inBackoff(topic, peerId, now)) {
      this.prune(peerId, topic);
      return;
    }
    this.meshes.ensure(topic, this.candidates(), (p) => this.graft(p, topic));
    const joined = !this.meshes.has(topic, peerId);
    if (!this.meshes.accept(topic, peerId)) {
      this.prune(peerId, topic);
      return;
    }
    if (unchoke) this.meshes.setEager(topic, peerId, true);
    if (joined && !unchoke) this.announceRecent(peerId, topic);
  }

  private onIWant(peerId: string, ids: readonly Uint8Array[]): void {
    const { counters } = this.ctx;
    const link = this.table.get(peerId);
    if (link === undefined || !this.scores.gossipsWith(peerId)) {
      counters.control.ignored += 1;
      return;
    }
    for (const id of ids) {
      const served = (this.servedTo.get(peerId) ?? 0) + 1;
      this.servedTo.set(peerId, served);
      if (served > MAX_SERVED_PER_HEARTBEAT) {
        if (served === MAX_SERVED_PER_HEARTBEAT + 1) this.scores.record(peerId, "flooding");
        return;
      }
      const cached = this.cache.get(hex(id));
      if (cached === undefined) continue;
      counters.gossip.served += 1;
      this.push(link, cached.bytes);
    }
  }

  private onIHave(peerId: string, ihave: NonNullable<ControlFrame["ihave"]>): void {
    const count = (this.ihaveIn.get(peerId) ?? 0) + 1;
    this.ihaveIn.set(peerId, count);
    if (count > MAX_IHAVE_PER_HEARTBEAT) {
      if (count === MAX_IHAVE_PER_HEARTBEAT + 1) this.scores.record(peerId, "flooding");
      this.ctx.counters.control.ignored += 1;
      return;
    }
    if (!this.scores.gossipsWith(peerId)) {
      this.ctx.counters.control.ignored += 1;
      return;
    }
    const now = this.ctx.clock.now();
    for (const { topic, ids } of ihave) {
      for (const id of ids) {
        const idHex = hex(id);
        if (this.seen.has(idHex, now)) continue;
        if (!this.wants.announced(idHex, { id, topic }, peerId)) return;
      }
    }
  }

  /** No copy came in time: ask `peer`, which announced it, and make its link eager. */
  private askFor(peer: string, { topic, id }: Wanted): void {
    const unchoke = this.meshes.has(topic, peer);
    if (unchoke) this.meshes.setEager(topic, peer, true);
    this.queue(peer, (f) => {
      f.iwant = [...(f.iwant ?? []), id];
      if (unchoke) addTopic(f, "unchoke", topic);
    });
    this.ctx.counters.control.iwant += 1;
    if (unchoke) this.ctx.counters.control.unchoke += 1;
    this.flushPeer(peer);
  }

  /** Connected peers a mesh may take: not scored below zero. */
  private candidates(): string[] {
    const out: string[] = [];
    for (const [peerId, link] of this.table.byId) {
      if (link.state === "authenticated" && this.scores.score(peerId) >= 0) out.push(peerId);
    }
    return out;
  }

  private graft(peerId: string, topic: string): void {
    this.announceRecent(peerId, topic);
    this.queue(peerId, (f) => addTopic(f, "graft", topic));
    this.ctx.counters.control.graft += 1;
    this.scheduleFlush(0);
  }

  /**
   * A new mesh member missed what went through the mesh before it joined: it hears the
   * ids of the gossip windows, as a non-mesh peer would at the next heartbeat.
   */
  private announceRecent(peerId: string, topic: string): void {
    if (!this.scores.gossipsWith(peerId)) return;
    const ids = this.cache.gossipIds(topic).slice(0, MAX_CONTROL_IDS);
    if (ids.length > 0) {
      this.queue(peerId, (f) => {
        for (const id of ids) addIHave(f, topic, id);
      });
    }
  }

  private prune(peerId: string, topic: string): void {
    this.queue(peerId, (f) => addTopic(f, "prune", topic));
    this.ctx.counters.control.prune += 1;
    this.scheduleFlush(0);
  }

  private scheduleHeartbeat(): void {
    this.cancelHeartbeat = this.ctx.clock.setTimeout(() => {
      this.heartbeat();
      this.scheduleHeartbeat();
    }, this.ctx.options.heartbeatMs);
  }

  /** GossipSub's heartbeat: mesh upkeep, IHAVE gossip, score decay, the cache's next window. */
  private heartbeat(): void {
    const { ctx } = this;
    const now = ctx.clock.now();
    this.scores.decay();
    const connected = new Set(this.table.byId.keys());
    const changes = this.meshes.maintain(
      connected,
      this.candidates(),
      (p) => this.scores.score(p),
      now,
    );
    for (const { peer, topic } of changes.grafted) this.graft(peer, topic);
    for (const { peer, topic } of changes.pruned) this.prune(peer, topic);
    for (const topic of this.cache.gossipTopics()) {
      const ids = this.cache.gossipIds(topic).slice(0, MAX_CONTROL_IDS);
      if (ids.length === 0) continue;
      const others = [...connected].filter(
        (p) => !this.meshes.has(topic, p) && this.scores.gossipsWith(p),
      );
      for (const peerId of pick(others, ctx.options.gossipLazy, this.rng)) {
        this.queue(peerId, (f) => {
          for (const id of ids) addIHave(f, topic, id);
        });
      }
    }
    this.cache.shift();
    this.ihaveIn.clear();
    this.servedTo.clear();
    this.duplicatesIn.clear();
    this.flush();
  }

  private queue(peerId: string, add: (frame: ControlFrame) => void): void {
    let frame = this.outbox.get(peerId);
    if (frame === undefined) {
      frame = { type: "ctl" };
      this.outbox.set(peerId, frame);
    }
    add(frame);
  }

  private scheduleFlush(delayMs: number): void {
    if (!this.running) return;
    if (this.cancelFlush !== undefined) {
      if (delayMs > 0) return;
      this.cancelFlush();
    }
    this.cancelFlush = this.ctx.clock.setTimeout(() => {
      this.cancelFlush = undefined;
      this.flush();
    }, delayMs);
  }

  private flush(): void {
    for (const peerId of [...this.outbox.keys()]) this.flushPeer(peerId);
  }

  private flushPeer(peerId: string): void {
    const frame = this.outbox.get(peerId);
    if (frame === undefined) return;
    this.outbox.delete(peerId);
    const link = this.table.get(peerId);
    if (link === undefined || link.state !== "authenticated") return;
    const { control } = this.ctx.counters;
    for (const entry of frame.ihave ?? []) control.ihave += entry.ids.length;
    for (const part of splitControl(frame)) {
      control.framesSent += 1;
      this.links.write(link, encodeFrame(part));
    }
  }
}
