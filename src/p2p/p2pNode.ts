import { randomBytes as cryptoRandomBytes } from "node:crypto";
import type { Logger } from "../logging";
import { authPayload } from "./authPayload";
import { backoffDelay } from "./backoffDelay";
import { CLOSE_REASONS, type CloseReasonKey, WS_MESSAGE_TOO_BIG } from "./closeCodes";
import type { Clock, DirectMessage, GossipVerdict, P2PEvents, PeerInfo, Rng } from "./contract";
import { decodeFrame } from "./decodeFrame";
import { encodeFrame } from "./encodeFrame";
import {
  CHALLENGE_BYTES,
  MAX_CLOSE_REASON_BYTES,
  MAX_TOPIC_LENGTH,
  PROTOCOL_VERSION,
} from "./frameLimits";
import { framePayload } from "./framePayload";
import type { AuthFrame, Frame, GossipFrame, HelloFrame, MsgFrame } from "./frameTypes";
import { gossipId } from "./gossipId";
import { keepConnection } from "./keepConnection";
import { nodeIdOf } from "./nodeIdOf";
import { P2PError } from "./p2pError";
import { defaultP2POptions, type P2PNodeOptions, type P2POptions } from "./p2pOptions";
import { emptyStats, type P2PStats } from "./p2pStats";
import { PeerLink, type StaticSlot } from "./peerLink";
import { PendingValidations } from "./pendingValidations";
import { SeenCache } from "./seenCache";
import type { Connection, Listener, Transport } from "./transport";
import { SchemaViolation, validateFrame } from "./validateFrame";
import { verifySignature } from "./verifySignature";

/** What a P2PNode needs from its surroundings; the simulator passes virtual ones. */
export interface P2PDeps {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log?: Logger;
  /** Handshake challenges; node:crypto unless a simulation needs them seeded. */
  readonly randomBytes?: (length: number) => Uint8Array;
}

const discard = (): void => {};
const silent: Logger = {
  trace: discard,
  debug: discard,
  info: discard,
  warn: discard,
  error: discard,
  child: () => silent,
};

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

/** Cuts a close reason to the 123 bytes a websocket close frame can carry. */
function fitReason(reason: string): string {
  let out = reason;
  while (Buffer.byteLength(out) > MAX_CLOSE_REASON_BYTES) out = out.slice(0, -1);
  return out;
}

const FRAME_ERROR_REASONS: Readonly<Record<string, CloseReasonKey>> = {
  P2P_FRAME_TOO_LARGE: "frame_too_large",
  P2P_FRAME_MALFORMED: "malformed_frame",
  P2P_FRAME_INVALID: "invalid_frame",
  P2P_FRAME_UNKNOWN_TYPE: "invalid_frame",
};

/**
 * The peer manager: authenticated connections to static and inbound peers, point-to-point
 * messages, and flooding gossip with a seen-cache and a hop limit. Everything is driven by
 * transport events and the injected clock, so the node runs unchanged on websockets and
 * in the deterministic simulator. Every failure of a peer closes that peer's connection
 * with its own close code (CLOSE_REASONS), is counted and reported through onRejected;
 * nothing a peer sends can stop the node serving the others.
 *
 * Gossip is not delivered to its own publisher: the caller already has what it published.
 *
 * On a validated topic (options.validatedTopics) a message is delivered at once but relayed
 * only when the subscriber's verdict says so (reportValidationResult), as libp2p GossipSub
 * does: a body only the application can judge (a signed release) never travels past the
 * first node that finds it forged, and the peer that sent it is closed.
 */
export class P2PNode {
  readonly id: string;
  private readonly options: P2POptions;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly log: Logger;
  private readonly randomBytes: (length: number) => Uint8Array;
  private readonly links = new Set<PeerLink>();
  private readonly peersById = new Map<string, PeerLink>();
  private readonly slots: StaticSlot[];
  private readonly seen: SeenCache;
  private readonly validatedTopics: ReadonlySet<string>;
  private readonly pending: PendingValidations<HeldGossip>;
  private readonly counters: P2PStats = emptyStats();
  private listener: Listener | undefined;
  private running = false;
  private cancelTick: (() => void) | undefined;
  private seq: number;
  private authOrder = 0;
  private pingNonce = 0;

  constructor(
    options: P2PNodeOptions,
    deps: P2PDeps,
    private readonly events: P2PEvents = {},
  ) {
    this.options = { ...defaultP2POptions, ...options };
    this.id = options.identity.id;
    this.transport = deps.transport;
    this.clock = deps.clock;
    this.rng = deps.rng;
    this.log = deps.log ?? silent;
    this.randomBytes = deps.randomBytes ?? ((length) => new Uint8Array(cryptoRandomBytes(length)));
    this.seen = new SeenCache({
      ttlMs: this.options.seenTtlMs,
      maxEntries: this.options.seenMaxEntries,
    });
    this.validatedTopics = new Set(options.validatedTopics ?? []);
    this.pending = new PendingValidations(
      {
        maxPending: this.options.maxPendingValidations,
        timeoutMs: this.options.validationTimeoutMs,
      },
      this.clock,
    );
    this.seq = Math.floor(this.rng.next() * SEQ_START_RANGE);
    this.slots = this.options.peers.map((peer) => ({
      address: peer.address,
      knownId: peer.id,
      expectedId: peer.id,
      attempt: 0,
      link: undefined,
      cancelTimer: undefined,
      disabled: false,
    }));
  }

  /** The bound listen address once started (the real port when configured with port 0). */
  get listenAddress(): string | undefined {
    return this.listener?.address;
  }

  /** Listens (when configured), dials every static peer and starts the ping timer. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const listen = this.options.listen;
    if (listen !== undefined) {
      try {
        this.listener = await this.transport.listen(listen, (conn) => this.accept(conn));
      } catch (err) {
        this.running = false;
        throw err;
      }
    }
    for (const slot of this.slots) this.dialSlot(slot);
    this.scheduleTick();
    this.log.info("p2p started", {
      id: this.id,
      listen: this.listenAddress,
      peers: this.slots.length,
    });
  }

  /** Closes every connection ("node stopping"), stops redials and the listener. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.cancelTick?.();
    this.cancelTick = undefined;
    for (const slot of this.slots) {
      slot.cancelTimer?.();
      slot.cancelTimer = undefined;
    }
    this.pending.clear();
    for (const link of [...this.links]) this.closeLink(link, "node_stopping");
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
    this.log.info("p2p stopped", { id: this.id });
  }

  /**
   * Sends a message to a connected peer. False when the peer is not connected or its
   * connection is over the high-water mark (backpressure): the caller decides whether to
   * retry or fail. Throws P2PError for a message that no peer could accept (too large,
   * or fields out of bounds), since that is a bug of the caller, not a network condition.
   */
  sendDirect(peerId: string, msg: DirectMessage): boolean {
    const frame: MsgFrame = { type: "msg", message: msg };
    const bytes = this.encodeOwn(frame, "send message");
    const link = this.peersById.get(peerId);
    if (link === undefined || link.state !== "authenticated") {
      this.counters.direct.dropped += 1;
      return false;
    }
    if (link.conn.bufferedAmount > this.options.highWaterMarkBytes) {
      this.counters.direct.dropped += 1;
      return false;
    }
    this.counters.direct.sent += 1;
    this.write(link, bytes);
    return true;
  }

  /** Floods `body` on `topic` to every peer; returns the message id (32 hex chars). */
  publish(topic: string, body: unknown): string {
    if (!this.running) {
      throw new P2PError(
        { code: "P2P_NOT_RUNNING" },
        "Cannot publish: the p2p node is not running",
      );
    }
    const seq = this.seq;
    this.seq += 1;
    const id = gossipId(this.id, seq, topic);
    const frame: GossipFrame = { type: "gossip", id, origin: this.id, seq, topic, hops: 1, body };
    const bytes = this.encodeOwn(frame, "publish");
    const idHex = hex(id);
    this.seen.add(idHex, this.clock.now());
    this.counters.gossip.published += 1;
    this.fanOut(bytes, undefined, this.id);
    return idHex;
  }

  /**
   * The subscriber's verdict on a message of a validated topic, by the id onGossip gave:
   * "accept" relays it, "reject" drops it and closes the peer that sent it (invalid_gossip),
   * "ignore" drops it. False when no such message awaits a verdict (never held, decided
   * already, or timed out): a late verdict changes nothing.
   */
  reportValidationResult(id: string, verdict: GossipVerdict): boolean {
    const held = this.pending.take(id);
    if (held === undefined) return false;
    const { frame, link, from } = held;
    switch (verdict) {
      case "accept":
        this.counters.validation.accepted += 1;
        if (frame.hops < this.options.hopLimit) {
          this.fanOut(encodeFrame({ ...frame, hops: frame.hops + 1 }), from, frame.origin);
        }
        return true;
      case "reject":
        this.counters.validation.rejected += 1;
        // Only the connection it came on: a peer that reconnected since is judged afresh.
        if (this.peersById.get(from) === link) this.reject(link, "invalid_gossip", frame.topic);
        return true;
      case "ignore":
        this.counters.validation.ignored += 1;
        return true;
    }
  }

  /** Authenticated peers, in the order they connected. */
  peers(): PeerInfo[] {
    return [...this.peersById.values()].map((link) => link.info());
  }

  stats(): P2PStats {
    const c = this.counters;
    let pending = 0;
    for (const link of this.links)
      if (link.state === "opening" || link.state === "handshake") pending += 1;
    return {
      ...c,
      rejected: { ...c.rejected },
      direct: { ...c.direct },
      gossip: { ...c.gossip },
      validation: { ...c.validation, pending: this.pending.size },
      peers: this.peersById.size,
      pendingHandshakes: pending,
    };
  }

  // ---- connections ---------------------------------------------------------------

  private accept(conn: Connection): void {
    if (!this.running) {
      conn.close(CLOSE_REASONS.node_stopping.code, CLOSE_REASONS.node_stopping.reason);
      return;
    }
    let pending = 0;
    for (const link of this.links) if (link.state === "handshake") pending += 1;
    const link = this.track(conn, "inbound", conn.remoteAddress, undefined);
    if (pending >= this.options.maxPendingHandshakes) {
      this.reject(link, "too_many_peers", "pending handshakes");
      return;
    }
    this.opened(link);
  }

  private dialSlot(slot: StaticSlot): void {
    slot.cancelTimer = undefined;
    if (!this.running || slot.disabled || slot.link !== undefined) return;
    if (slot.knownId !== undefined && this.peersById.has(slot.knownId)) return;
    let conn: Connection;
    try {
      conn = this.transport.dial(slot.address);
    } catch (err) {
      slot.disabled = true;
      this.log.warn("cannot dial static peer", { address: slot.address, error: String(err) });
      return;
    }
    slot.link = this.track(conn, "outbound", slot.address, slot);
  }

  private scheduleRedial(slot: StaticSlot): void {
    if (!this.running || slot.disabled || slot.link !== undefined || slot.cancelTimer !== undefined)
      return;
    if (slot.knownId !== undefined && this.peersById.has(slot.knownId)) return;
    const delay = backoffDelay(slot.attempt, this.rng.next(), this.options.backoff);
    slot.attempt += 1;
    slot.cancelTimer = this.clock.setTimeout(() => this.dialSlot(slot), delay);
  }

  private track(
    conn: Connection,
    direction: "inbound" | "outbound",
    address: string,
    slot: StaticSlot | undefined,
  ): PeerLink {
    const link = new PeerLink(
      conn,
      direction,
      address,
      this.randomBytes(CHALLENGE_BYTES),
      slot,
      this.options.rateLimit,
      this.clock.now(),
    );
    this.links.add(link);
    conn.setHandlers({
      onOpen: () => this.opened(link),
      onMessage: (data) => this.receive(link, data),
      onClose: (code, reason) => this.closed(link, code, reason),
    });
    return link;
  }

  private opened(link: PeerLink): void {
    if (link.state !== "opening") return;
    const now = this.clock.now();
    link.state = "handshake";
    link.connectedAt = now;
    link.lastSeen = now;
    link.cancelDeadline = this.clock.setTimeout(
      () => this.reject(link, "handshake_timeout"),
      this.options.handshakeTimeoutMs,
    );
    const hello: HelloFrame = {
      type: "hello",
      network: this.options.networkId,
      id: this.id,
      publicKey: this.options.identity.publicKey,
      protocol: PROTOCOL_VERSION,
      version: this.options.version,
      challenge: link.challenge,
      listen: this.listenAddress ?? "",
    };
    this.write(link, encodeFrame(hello));
  }

  private closed(link: PeerLink, code: number, reason: string): void {
    const closedByUs = link.state === "closing";
    link.state = "closed";
    link.cancelDeadline?.();
    this.links.delete(link);
    if (!closedByUs && code === WS_MESSAGE_TOO_BIG) {
      // The transport refused a frame over MAX_FRAME_BYTES before we could see it.
      this.count(
        link,
        "frame_too_large",
        code,
        fitReason(`${CLOSE_REASONS.frame_too_large.reason}: ${reason}`),
      );
    }
    this.detach(link, reason || `closed with code ${code}`);
    const slot = link.slot;
    if (slot !== undefined && slot.link === link) {
      slot.link = undefined;
      this.scheduleRedial(slot);
    }
  }

  /** Stops treating the link as the peer's connection; onPeerDown when it was. */
  private detach(link: PeerLink, reason: string): void {
    const peerId = link.peerId;
    if (peerId === undefined || this.peersById.get(peerId) !== link) return;
    this.peersById.delete(peerId);
    this.log.info("peer disconnected", { peer: peerId, address: link.address, reason });
    this.emit(() => this.events.onPeerDown?.(link.info(), reason));
    for (const slot of this.slots) if (slot.knownId === peerId) this.scheduleRedial(slot);
  }

  private closeLink(link: PeerLink, key: CloseReasonKey, detail?: string): void {
    if (link.state === "closing" || link.state === "closed") return;
    const { code, reason } = CLOSE_REASONS[key];
    const full = fitReason(detail === undefined ? reason : `${reason}: ${detail}`);
    link.state = "closing";
    link.cancelDeadline?.();
    this.detach(link, full);
    link.conn.close(code, full);
  }

  /** Closes a connection because of what the peer did: counted, logged, reported. */
  private reject(link: PeerLink, key: CloseReasonKey, detail?: string): void {
    if (link.state === "closing" || link.state === "closed") return;
    const { code, reason } = CLOSE_REASONS[key];
    this.count(link, key, code, fitReason(detail === undefined ? reason : `${reason}: ${detail}`));
    this.closeLink(link, key, detail);
  }

  private count(link: PeerLink, key: CloseReasonKey, code: number, reason: string): void {
    this.counters.rejected[key] = (this.counters.rejected[key] ?? 0) + 1;
    const peer = link.peerId;
    this.log.info("connection rejected", { address: link.address, peer, code, reason });
    this.emit(() =>
      this.events.onRejected?.({
        address: link.address,
        ...(peer === undefined ? {} : { peer }),
        code,
        reason,
      }),
    );
  }

  // ---- frames --------------------------------------------------------------------

  private write(link: PeerLink, bytes: Uint8Array): void {
    this.counters.framesOut += 1;
    this.counters.bytesOut += bytes.length;
    link.send(bytes);
  }

  private receive(link: PeerLink, data: Uint8Array): void {
    if (link.state !== "handshake" && link.state !== "authenticated") return;
    const now = this.clock.now();
    link.framesIn += 1;
    link.bytesIn += data.length;
    link.lastSeen = now;
    this.counters.framesIn += 1;
    this.counters.bytesIn += data.length;
    if (!link.frameBucket.take(1, now) || !link.byteBucket.take(data.length, now)) {
      this.reject(link, "rate_limited");
      return;
    }
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch (err) {
      if (!(err instanceof P2PError)) throw err;
      this.reject(link, FRAME_ERROR_REASONS[err.code] ?? "invalid_frame", frameDetail(err));
      return;
    }
    if (link.state === "handshake") this.handshakeFrame(link, frame);
    else this.peerFrame(link, frame);
  }

  private handshakeFrame(link: PeerLink, frame: Frame): void {
    if (frame.type === "hello") this.onHello(link, frame);
    else if (frame.type === "auth") this.onAuth(link, frame);
    else this.reject(link, "not_authenticated", frame.type);
  }

  private onHello(link: PeerLink, hello: HelloFrame): void {
    if (link.hello !== undefined) {
      this.reject(link, "protocol_violation", "second hello");
      return;
    }
    if (hello.network !== this.options.networkId) {
      this.reject(link, "wrong_network");
      return;
    }
    if (hello.protocol !== PROTOCOL_VERSION) {
      this.reject(link, "wrong_protocol", `${hello.protocol}, expected ${PROTOCOL_VERSION}`);
      return;
    }
    if (nodeIdOf(hello.publicKey) !== hello.id) {
      this.reject(link, "bad_identity");
      return;
    }
    if (hello.id === this.id) {
      if (link.slot !== undefined) {
        link.slot.disabled = true;
        this.log.warn("static peer is this node itself; not dialing it again", {
          address: link.address,
        });
      }
      this.reject(link, "self_connection");
      return;
    }
    const expected = link.slot?.expectedId;
    if (expected !== undefined && hello.id !== expected) {
      this.reject(link, "unexpected_peer");
      return;
    }
    link.hello = hello;
    const signature = this.options.identity.sign(
      authPayload({
        network: this.options.networkId,
        challenge: hello.challenge,
        signer: this.id,
        verifier: hello.id,
      }),
    );
    this.write(link, encodeFrame({ type: "auth", signature }));
  }

  private onAuth(link: PeerLink, auth: AuthFrame): void {
    const hello = link.hello;
    if (hello === undefined) {
      this.reject(link, "protocol_violation", "auth before hello");
      return;
    }
    const payload = authPayload({
      network: this.options.networkId,
      challenge: link.challenge,
      signer: hello.id,
      verifier: this.id,
    });
    if (!verifySignature(hello.publicKey, payload, auth.signature)) {
      this.reject(link, "bad_signature");
      return;
    }
    this.authenticated(link, hello.id);
  }

  private authenticated(link: PeerLink, peerId: string): void {
    link.cancelDeadline?.();
    link.cancelDeadline = undefined;
    this.authOrder += 1;
    link.authOrder = this.authOrder;
    const slot = link.slot;
    if (slot !== undefined) {
      slot.attempt = 0;
      slot.knownId = peerId;
    }
    const existing = this.peersById.get(peerId);
    if (existing !== undefined) {
      const candidate = (l: PeerLink) => ({
        dialer: l.direction === "outbound" ? this.id : peerId,
        order: l.authOrder,
        l,
      });
      const winner = keepConnection(candidate(existing), candidate(link)).l;
      this.counters.duplicateConnections += 1;
      if (winner === existing) {
        this.closeLink(link, "duplicate_connection");
        return;
      }
      link.state = "authenticated";
      this.peersById.set(peerId, link);
      this.closeLink(existing, "duplicate_connection");
      return;
    }
    if (link.direction === "inbound" && this.inboundPeers() >= this.options.maxInboundPeers) {
      this.reject(link, "too_many_peers");
      return;
    }
    link.state = "authenticated";
    this.peersById.set(peerId, link);
    for (const s of this.slots) if (s.knownId === peerId) s.attempt = 0;
    this.log.info("peer connected", {
      peer: peerId,
      address: link.address,
      direction: link.direction,
    });
    this.emit(() => this.events.onPeerUp?.(link.info()));
  }

  private inboundPeers(): number {
    let count = 0;
    for (const link of this.peersById.values()) if (link.direction === "inbound") count += 1;
    return count;
  }

  private peerFrame(link: PeerLink, frame: Frame): void {
    const peerId = link.peerId as string;
    switch (frame.type) {
      case "msg":
        this.counters.direct.received += 1;
        this.emit(() => this.events.onMessage?.(peerId, frame.message));
        return;
      case "gossip":
        this.onGossip(link, peerId, frame);
        return;
      case "ping":
        this.write(link, encodeFrame({ type: "pong", nonce: frame.nonce }));
        return;
      case "pong":
        if (frame.nonce === link.pingNonce) {
          link.latencyMs = this.clock.now() - link.pingSentAt;
          link.pingNonce = undefined;
        }
        return;
      case "hello":
      case "auth":
        this.reject(link, "protocol_violation", `${frame.type} after authentication`);
        return;
    }
  }

  private onGossip(link: PeerLink, peerId: string, frame: GossipFrame): void {
    if (!sameBytes(frame.id, gossipId(frame.origin, frame.seq, frame.topic))) {
      this.reject(link, "invalid_frame", "gossip id mismatch");
      return;
    }
    const idHex = hex(frame.id);
    const now = this.clock.now();
    if (this.seen.has(idHex, now)) {
      this.counters.gossip.duplicates += 1;
      return;
    }
    const validated = this.validatedTopics.has(frame.topic);
    if (validated && this.pending.full) {
      // Not marked seen: once the backlog clears, another copy of it can still come in.
      this.counters.validation.overflow += 1;
      return;
    }
    this.seen.add(idHex, now);
    this.counters.gossip.delivered += 1;
    // Held before delivery, so a verdict given inside onGossip itself finds it.
    if (validated) {
      this.pending.hold(idHex, { frame, link, from: peerId }, () => {
        this.counters.validation.timedOut += 1;
      });
    }
    const meta = { from: peerId, origin: frame.origin, id: idHex, hops: frame.hops };
    this.emit(() => this.events.onGossip?.(frame.topic, frame.body, meta));
    if (!validated && frame.hops < this.options.hopLimit) {
      this.fanOut(encodeFrame({ ...frame, hops: frame.hops + 1 }), peerId, frame.origin);
    }
  }

  /** Sends a gossip frame to every peer but the one it came from and its origin. */
  private fanOut(bytes: Uint8Array, from: string | undefined, origin: string): void {
    for (const [peerId, peer] of this.peersById) {
      if (peerId === from || peerId === origin || peer.state !== "authenticated") continue;
      if (peer.conn.bufferedAmount > this.options.highWaterMarkBytes) {
        this.counters.gossip.dropped += 1;
        continue;
      }
      this.counters.gossip.forwarded += 1;
      this.write(peer, bytes);
    }
  }

  /** Encodes a frame built from caller data, checking it as strictly as a peer would. */
  private encodeOwn(frame: MsgFrame | GossipFrame, action: string): Uint8Array {
    if (frame.type === "gossip" && frame.topic.length > MAX_TOPIC_LENGTH) {
      throw new P2PError(
        { code: "P2P_INVALID_ARGUMENT", argument: "topic" },
        `Cannot ${action}: topic longer than ${MAX_TOPIC_LENGTH}`,
      );
    }
    try {
      validateFrame(frame.type, framePayload(frame));
    } catch (err) {
      if (!(err instanceof SchemaViolation)) throw err;
      throw new P2PError(
        { code: "P2P_INVALID_ARGUMENT", argument: frame.type },
        `Cannot ${action}: ${err.message}`,
      );
    }
    return encodeFrame(frame);
  }

  // ---- timers --------------------------------------------------------------------

  private scheduleTick(): void {
    this.cancelTick = this.clock.setTimeout(() => this.tick(), this.options.pingIntervalMs);
  }

  /** Pings every peer (latency) and closes those silent past the deadline. */
  private tick(): void {
    if (!this.running) return;
    const now = this.clock.now();
    for (const link of [...this.peersById.values()]) {
      if (now - link.lastSeen > this.options.peerTimeoutMs) {
        this.reject(link, "peer_timeout");
        continue;
      }
      this.pingNonce += 1;
      link.pingNonce = this.pingNonce;
      link.pingSentAt = now;
      this.write(link, encodeFrame({ type: "ping", nonce: this.pingNonce }));
    }
    this.scheduleTick();
  }

  /** Runs an application callback; its exceptions are its own and must not break ours. */
  private emit(callback: () => void): void {
    try {
      callback();
    } catch (err) {
      this.log.error("p2p event handler threw", {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}

/** The part of a frame error worth putting in a close reason: what was wrong, not the bytes. */
function frameDetail(err: P2PError): string | undefined {
  const type = err.type;
  switch (type.code) {
    case "P2P_FRAME_TOO_LARGE":
      return `${type.frameType} of ${type.size} bytes`;
    case "P2P_FRAME_INVALID":
      return err.message.replace(/^Cannot decode \w+ frame: /, "");
    case "P2P_FRAME_UNKNOWN_TYPE":
      return "unknown type";
    default:
      return undefined;
  }
}
