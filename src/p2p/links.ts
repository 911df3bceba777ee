import { backoffDelay } from "./backoffDelay";
import { CLOSE_REASONS, type CloseReasonKey, WS_MESSAGE_TOO_BIG } from "./closeCodes";
import type { Rng } from "./contract";
import { fitReason } from "./fitReason";
import { CHALLENGE_BYTES } from "./frameLimits";
import type { ControlFrame, Frame, GossipFrame, MsgFrame, PexFrame } from "./frameTypes";
import { Handshake, type HandshakeHost } from "./handshake";
import { Keepalive } from "./keepalive";
import { openFrame } from "./openFrame";
import type { P2PContext } from "./p2pContext";
import { PeerLink, type StaticSlot } from "./peerLink";
import type { PeerTable } from "./peerTable";
import type { Connection, Listener, Transport } from "./transport";

/** What the links need from outside: the transport and, in simulation, seeded randomness. */
export interface LinksDeps {
  readonly transport: Transport;
  readonly rng: Rng;
  readonly randomBytes: (length: number) => Uint8Array;
}

/** A data frame from an authenticated peer, for gossip or direct messages to handle. */
export type DataFrameHandler = (
  link: PeerLink,
  peerId: string,
  frame: MsgFrame | GossipFrame | ControlFrame | PexFrame,
) => void;

/** What the other parts of the node hear of peers coming and going, before anything else runs. */
export interface LinkHooks {
  up?(link: PeerLink): void;
  /** An authenticated inbound link about to be closed for want of room: the last frame. */
  full?(link: PeerLink): void;
  down?(peerId: string): void;
}

/**
 * The connection lifecycle: listening, dialing static peers with backoff, the handshake,
 * frame intake (rate limits, decoding), keepalive pings and closing. Every failure of a
 * peer closes that peer's connection with its own close code (CLOSE_REASONS), is counted
 * and reported through onRejected; nothing a peer sends can stop the node serving others.
 */
export class Links implements HandshakeHost {
  private readonly handshake: Handshake;
  private listener: Listener | undefined;
  private running = false;
  private readonly keepalive: Keepalive;

  constructor(
    private readonly ctx: P2PContext,
    private readonly deps: LinksDeps,
    private readonly table: PeerTable,
    private readonly onData: DataFrameHandler,
    private readonly hooks: LinkHooks = {},
  ) {
    this.handshake = new Handshake(ctx, this, deps.randomBytes);
    this.keepalive = new Keepalive(ctx, table, this);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The bound listen address once started (the real port when configured with port 0). */
  get listenAddress(): string | undefined {
    return this.listener?.address;
  }

  /** Listens (when configured), dials every static peer and starts the ping timer. */
  async start(): Promise<void> {
    this.running = true;
    const listen = this.ctx.options.listen;
    if (listen !== undefined) {
      try {
        this.listener = await this.deps.transport.listen(listen, (conn) => this.accept(conn));
      } catch (err) {
        this.running = false;
        throw err;
      }
    }
    for (const slot of this.table.slots) this.dialSlot(slot);
    this.keepalive.start();
  }

  /** Closes every connection ("node stopping"), stops redials and the listener. */
  async stop(): Promise<void> {
    this.running = false;
    this.keepalive.stop();
    for (const slot of this.table.slots) {
      slot.cancelTimer?.();
      slot.cancelTimer = undefined;
    }
    for (const link of [...this.table.links]) this.closeLink(link, "node_stopping");
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
  }

  write(link: PeerLink, frame: Uint8Array): void {
    const counters = this.ctx.counters;
    const before = link.bytesOut;
    link.send(frame);
    counters.framesOut += 1;
    counters.bytesOut += link.bytesOut - before;
  }

  reject(link: PeerLink, key: CloseReasonKey, detail?: string): void {
    if (link.state === "closing" || link.state === "closed") return;
    const { code, reason } = CLOSE_REASONS[key];
    this.count(link, key, code, fitReason(detail === undefined ? reason : `${reason}: ${detail}`));
    this.closeLink(link, key, detail);
  }

  authenticated(link: PeerLink, peerId: string): void {
    const { ctx, table } = this;
    link.cancelDeadline?.();
    link.cancelDeadline = undefined;
    table.stampAuthenticated(link);
    const slot = link.slot;
    if (slot !== undefined) {
      slot.attempt = 0;
      slot.knownId = peerId;
      slot.authenticatedOnce = true;
    }
    const admission = table.admission(link, peerId, ctx.id, ctx.options.maxInboundPeers);
    switch (admission.kind) {
      case "duplicate":
        ctx.counters.duplicateConnections += 1;
        this.closeLink(link, "duplicate_connection");
        return;
      case "replace":
        ctx.counters.duplicateConnections += 1;
        link.state = "authenticated";
        table.byId.set(peerId, link);
        this.closeLink(admission.existing, "duplicate_connection");
        return;
      case "full":
        // Like a CometBFT seed: a node we have no room for still leaves with addresses.
        link.state = "authenticated";
        this.hooks.full?.(link);
        this.reject(link, "too_many_peers");
        return;
      case "join":
        break;
    }
    link.state = "authenticated";
    table.byId.set(peerId, link);
    for (const s of table.slots) if (s.knownId === peerId) s.attempt = 0;
    ctx.log.info("peer connected", {
      peer: peerId,
      address: link.address,
      direction: link.direction,
    });
    ctx.emit(() => ctx.events.onPeerUp?.(link.info()));
    this.hooks.up?.(link);
  }

  /**
   * Dials an address learned by peer exchange, once, expecting `id` there; false when the
   * node is not running or the transport cannot dial it. The slot says how it went.
   */
  dialLearned(address: string, id: string): StaticSlot | undefined {
    if (!this.running) return undefined;
    const slot: StaticSlot = {
      address,
      knownId: id,
      expectedId: id,
      attempt: 0,
      link: undefined,
      cancelTimer: undefined,
      disabled: false,
      learned: true,
    };
    this.dialSlot(slot);
    return slot.link === undefined ? undefined : slot;
  }

  private accept(conn: Connection): void {
    if (!this.running) {
      conn.close(CLOSE_REASONS.node_stopping.code, CLOSE_REASONS.node_stopping.reason);
      return;
    }
    const pending = this.table.pending(true);
    const link = this.track(conn, "inbound", conn.remoteAddress, undefined);
    if (pending >= this.ctx.options.maxPendingHandshakes) {
      this.reject(link, "too_many_peers", "pending handshakes");
      return;
    }
    this.opened(link);
  }

  private dialSlot(slot: StaticSlot): void {
    slot.cancelTimer = undefined;
    if (!this.running || slot.disabled || slot.link !== undefined) return;
    if (slot.knownId !== undefined && this.table.byId.has(slot.knownId)) return;
    let conn: Connection;
    try {
      conn = this.deps.transport.dial(slot.address);
    } catch (err) {
      slot.disabled = true;
      if (slot.learned !== true) {
        this.ctx.log.warn("cannot dial static peer", { address: slot.address, error: String(err) });
      }
      return;
    }
    slot.link = this.track(conn, "outbound", slot.address, slot);
  }

  private scheduleRedial(slot: StaticSlot): void {
    if (slot.learned === true) return;
    if (!this.running || slot.disabled || slot.link !== undefined || slot.cancelTimer !== undefined)
      return;
    if (slot.knownId !== undefined && this.table.byId.has(slot.knownId)) return;
    const delay = backoffDelay(slot.attempt, this.deps.rng.next(), this.ctx.options.backoff);
    slot.attempt += 1;
    slot.cancelTimer = this.ctx.clock.setTimeout(() => this.dialSlot(slot), delay);
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
      this.deps.randomBytes(CHALLENGE_BYTES),
      slot,
      this.ctx.options.rateLimit,
      this.ctx.clock.now(),
    );
    this.table.links.add(link);
    conn.setHandlers({
      onOpen: () => this.opened(link),
      onMessage: (data) => this.receive(link, data),
      onClose: (code, reason) => this.closed(link, code, reason),
    });
    return link;
  }

  private opened(link: PeerLink): void {
    if (link.state !== "opening") return;
    const { clock, options } = this.ctx;
    const now = clock.now();
    link.state = "handshake";
    link.connectedAt = now;
    link.lastSeen = now;
    link.cancelDeadline = clock.setTimeout(
      () => this.reject(link, "handshake_timeout"),
      options.handshakeTimeoutMs,
    );
    this.handshake.sendHello(link);
  }

  private closed(link: PeerLink, code: number, reason: string): void {
    const closedByUs = link.state === "closing";
    link.state = "closed";
    link.cancelDeadline?.();
    this.table.links.delete(link);
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
    const { ctx, table } = this;
    const peerId = link.peerId;
    if (peerId === undefined || table.byId.get(peerId) !== link) return;
    table.byId.delete(peerId);
    ctx.log.info("peer disconnected", { peer: peerId, address: link.address, reason });
    ctx.emit(() => ctx.events.onPeerDown?.(link.info(), reason));
    this.hooks.down?.(peerId);
    for (const slot of table.slots) if (slot.knownId === peerId) this.scheduleRedial(slot);
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

  private count(link: PeerLink, key: CloseReasonKey, code: number, reason: string): void {
    const { ctx } = this;
    ctx.counters.rejected[key] = (ctx.counters.rejected[key] ?? 0) + 1;
    const peer = link.peerId;
    ctx.log.info("connection rejected", { address: link.address, peer, code, reason });
    ctx.emit(() =>
      ctx.events.onRejected?.({
        address: link.address,
        ...(peer === undefined ? {} : { peer }),
        code,
        reason,
      }),
    );
  }

  private receive(link: PeerLink, data: Uint8Array): void {
    if (link.state !== "handshake" && link.state !== "authenticated") return;
    const { clock, counters } = this.ctx;
    const now = clock.now();
    link.framesIn += 1;
    link.bytesIn += data.length;
    link.lastSeen = now;
    counters.framesIn += 1;
    counters.bytesIn += data.length;
    if (!link.frameBucket.take(1, now) || !link.byteBucket.take(data.length, now)) {
      this.reject(link, "rate_limited");
      return;
    }
    const opened = openFrame(data, link.cipher);
    if ("refusal" in opened) {
      this.reject(link, opened.refusal.key, opened.refusal.detail);
      return;
    }
    if (link.state === "handshake") this.handshake.onFrame(link, opened.frame, opened.plain);
    else this.peerFrame(link, opened.frame);
  }

  private peerFrame(link: PeerLink, frame: Frame): void {
    switch (frame.type) {
      case "msg":
      case "gossip":
      case "ctl":
      case "pex":
        this.onData(link, link.peerId as string, frame);
        return;
      case "ping":
        this.keepalive.onPing(link, frame);
        return;
      case "pong":
        this.keepalive.onPong(link, frame);
        return;
      case "hello":
      case "auth":
        this.reject(link, "protocol_violation", `${frame.type} after authentication`);
        return;
    }
  }
}
