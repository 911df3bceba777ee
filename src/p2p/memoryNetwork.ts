import { MAX_CLOSE_REASON_BYTES, MAX_WIRE_BYTES } from "./frameLimits";
import { P2PError } from "./p2pError";
import { parseAddress } from "./parseAddress";
import { type SeededRng, seededRng } from "./seededRng";
import type { Connection, ConnectionHandlers, Listener, Transport } from "./transport";
import { VirtualClock } from "./virtualClock";

/** How one direction of a link between two hosts behaves. */
export interface LinkOptions {
  /** Fixed part of the one-way delay. */
  readonly latencyMs: number;
  /** Uniform extra delay in [0, jitterMs). */
  readonly jitterMs: number;
  /** Probability that a faultable message is lost. */
  readonly dropRate: number;
  /** Probability that a faultable message arrives twice. */
  readonly duplicateRate: number;
  /** Let faultable messages overtake each other (never the unfaultable ones before them). */
  readonly reorder: boolean;
  /**
   * Which messages the faults above apply to. A real stream never loses, repeats or
   * reorders data, so faults are an opt-in model of lossy paths, e.g. only gossip frames.
   */
  readonly faultable: (data: Uint8Array) => boolean;
}

export const defaultLinkOptions: LinkOptions = Object.freeze({
  latencyMs: 5,
  jitterMs: 0,
  dropRate: 0,
  duplicateRate: 0,
  reorder: false,
  faultable: () => true,
});

export interface TraceEvent {
  readonly at: number;
  readonly kind: "accept" | "refuse" | "open" | "message" | "drop" | "close" | "lost";
  readonly from: string;
  readonly to: string;
  readonly data?: Uint8Array;
  readonly code?: number;
}

export interface MemoryNetworkOptions {
  readonly seed?: number;
  readonly clock?: VirtualClock;
  readonly link?: Partial<LinkOptions>;
  readonly maxPayload?: number;
  /** How long a dial into a partition hangs before it fails. */
  readonly connectTimeoutMs?: number;
  /** Sees every delivery, in order: the simulator hashes it to prove repeatability. */
  readonly onTrace?: (event: TraceEvent) => void;
}

export interface Partition {
  heal(): void;
}

export interface MemoryNetworkStats {
  delivered: number;
  dropped: number;
  duplicated: number;
  held: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const WS_ABNORMAL = 1006;
const WS_TOO_BIG = 1009;
const FIRST_EPHEMERAL_PORT = 49152;

function hostOf(address: string): string {
  return parseAddress(address).host;
}

function checkClose(code: number, reason: string): void {
  // The codes ws accepts from an application (RFC 6455 section 7.4).
  const valid =
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999);
  if (!valid || Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES) {
    throw new P2PError(
      { code: "P2P_INVALID_ARGUMENT", argument: "close" },
      `Cannot close connection: code ${code} or a reason of ${Buffer.byteLength(reason)} bytes is not allowed`,
    );
  }
}

/** One end of an in-memory connection. */
class MemoryEnd implements Connection {
  state: "connecting" | "open" | "closing" | "closed" = "connecting";
  peer: MemoryEnd | undefined;
  handlers: ConnectionHandlers = {};
  buffered = 0;
  closedByUs: { code: number; reason: string } | undefined;
  /** Delivery times, so a stream stays in order unless the link may reorder. */
  lastOrderedAt = 0;
  lastAnyAt = 0;
  /** Deliveries waiting for a partition to heal, in order. */
  readonly held: (() => void)[] = [];

  constructor(
    private readonly net: MemoryNetwork,
    readonly host: string,
    readonly remoteAddress: string,
  ) {}

  get bufferedAmount(): number {
    return this.buffered;
  }

  send(data: Uint8Array): void {
    if (this.state === "open") this.net.transmit(this, data);
  }

  close(code: number, reason: string): void {
    checkClose(code, reason);
    this.net.closeEnd(this, code, reason);
  }

  setHandlers(handlers: ConnectionHandlers): void {
    this.handlers = handlers;
  }

  finish(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    const mine = this.closedByUs;
    this.handlers.onClose?.(mine?.code ?? code, mine?.reason ?? reason);
  }
}

/**
 * A simulated network of hosts: connections, per-link delays, loss, duplication,
 * reordering and healable partitions, all driven by one virtual clock and one seeded
 * generator, so a run is a pure function of its seed.
 */
export class MemoryNetwork {
  readonly clock: VirtualClock;
  readonly stats: MemoryNetworkStats = { delivered: 0, dropped: 0, duplicated: 0, held: 0 };
  private readonly rng: SeededRng;
  private defaultLink: LinkOptions;
  private readonly links = new Map<string, LinkOptions>();
  private readonly listeners = new Map<string, { host: string; accept: (c: Connection) => void }>();
  private readonly partitions = new Set<{
    inside: ReadonlySet<string>;
    outside: ReadonlySet<string> | undefined;
  }>();
  private readonly crashed = new Set<string>();
  /** Ends whose outgoing stream waits behind a partition. */
  private readonly holding = new Set<MemoryEnd>();
  private readonly ends = new Set<MemoryEnd>();
  private readonly maxPayload: number;
  private readonly connectTimeoutMs: number;
  private readonly onTrace: ((event: TraceEvent) => void) | undefined;
  private nextPort = FIRST_EPHEMERAL_PORT;

  constructor(options: MemoryNetworkOptions = {}) {
    this.clock = options.clock ?? new VirtualClock();
    this.rng = seededRng(options.seed ?? 1);
    this.defaultLink = { ...defaultLinkOptions, ...options.link };
    this.maxPayload = options.maxPayload ?? MAX_WIRE_BYTES;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.onTrace = options.onTrace;
  }

  /** The transport of one host; also brings a crashed host back. */
  transport(host: string): Transport {
    this.crashed.delete(host);
    return {
      listen: (address, accept) => this.listen(host, address, accept),
      dial: (address) => this.dial(host, address),
    };
  }

  setDefaultLink(options: Partial<LinkOptions>): void {
    this.defaultLink = { ...this.defaultLink, ...options };
  }

  /** Overrides both directions between two hosts. */
  setLink(hostA: string, hostB: string, options: Partial<LinkOptions>): void {
    this.links.set(`${hostA}>${hostB}`, { ...this.linkOf(hostA, hostB), ...options });
    this.links.set(`${hostB}>${hostA}`, { ...this.linkOf(hostB, hostA), ...options });
  }

  /**
   * Cuts `inside` off from `outside` (from every other host when omitted). Data already
   * sent waits, as TCP would retransmit it; new dials across the cut time out.
   */
  partition(inside: readonly string[], outside?: readonly string[]): Partition {
    const cut = {
      inside: new Set(inside),
      outside: outside === undefined ? undefined : new Set(outside),
    };
    this.partitions.add(cut);
    return {
      heal: () => {
        if (this.partitions.delete(cut)) this.release();
      },
    };
  }

  healAll(): void {
    this.partitions.clear();
    this.release();
  }

  blocked(hostA: string, hostB: string): boolean {
    for (const { inside, outside } of this.partitions) {
      const aIn = inside.has(hostA);
      const bIn = inside.has(hostB);
      if (aIn === bIn) continue;
      const other = aIn ? hostB : hostA;
      if (outside === undefined || outside.has(other)) return true;
    }
    return false;
  }

  /**
   * Kills a host as SIGKILL would: its listeners vanish, its ends go silent without an
   * event, and its peers see their connections drop (1006) one latency later.
   */
  crash(host: string): void {
    this.crashed.add(host);
    for (const [address, listener] of this.listeners) {
      if (listener.host === host) this.listeners.delete(address);
    }
    for (const end of [...this.ends]) {
      if (end.host !== host) continue;
      end.state = "closed";
      end.handlers = {};
      this.ends.delete(end);
      const peer = end.peer;
      if (peer !== undefined) {
        this.clock.setTimeout(
          () => {
            this.trace("lost", end, peer);
            this.forget(peer);
            peer.finish(WS_ABNORMAL, "");
          },
          this.delay(this.linkOf(host, peer.host)),
        );
      }
    }
  }

  private linkOf(from: string, to: string): LinkOptions {
    return this.links.get(`${from}>${to}`) ?? this.defaultLink;
  }

  private delay(link: LinkOptions): number {
    return link.latencyMs + (link.jitterMs > 0 ? this.rng.next() * link.jitterMs : 0);
  }

  private async listen(
    host: string,
    address: string,
    accept: (c: Connection) => void,
  ): Promise<Listener> {
    const parsed = parseAddress(address);
    if (parsed.host !== host) {
      throw new P2PError(
        { code: "P2P_LISTEN_FAILED", address },
        `Cannot listen on ${address}: not an address of host ${host}`,
      );
    }
    const bound = parsed.port === 0 ? `${host}:${this.nextPort++}` : address;
    if (this.listeners.has(bound)) {
      throw new P2PError(
        { code: "P2P_LISTEN_FAILED", address },
        `Cannot listen on ${bound}: address in use`,
      );
    }
    const entry = { host, accept };
    this.listeners.set(bound, entry);
    return {
      address: bound,
      close: async () => {
        if (this.listeners.get(bound) === entry) this.listeners.delete(bound);
      },
    };
  }

  private dial(host: string, address: string): Connection {
    const dialer = new MemoryEnd(this, host, address);
    this.ends.add(dialer);
    const target = hostOf(address);
    const started = this.clock.now();
    const timeOut = (): void => {
      const wait = Math.max(0, started + this.connectTimeoutMs - this.clock.now());
      this.clock.setTimeout(() => this.fail(dialer, "connection timed out"), wait);
    };
    if (this.blocked(host, target)) {
      timeOut();
      return dialer;
    }
    this.clock.setTimeout(
      () => {
        if (dialer.state !== "connecting") return;
        if (this.blocked(host, target)) return timeOut();
        const listener = this.listeners.get(address);
        if (listener === undefined || this.crashed.has(target)) {
          this.clock.setTimeout(
            () => this.fail(dialer, "connection refused"),
            this.delay(this.linkOf(target, host)),
          );
          return;
        }
        this.accept(dialer, listener.host, listener.accept);
      },
      this.delay(this.linkOf(host, target)),
    );
    return dialer;
  }

  private fail(dialer: MemoryEnd, why: string): void {
    if (dialer.state !== "connecting") return;
    this.trace("refuse", dialer, dialer);
    this.forget(dialer);
    dialer.finish(WS_ABNORMAL, why);
  }

  private accept(dialer: MemoryEnd, host: string, accept: (c: Connection) => void): void {
    const acceptor = new MemoryEnd(this, host, `${dialer.host}:${this.nextPort++}`);
    this.ends.add(acceptor);
    acceptor.state = "open";
    acceptor.peer = dialer;
    dialer.peer = acceptor;
    this.trace("accept", dialer, acceptor);
    // The open travels first, so whatever the acceptor sends at once arrives after it.
    this.schedule(acceptor, false, () => {
      if (dialer.state === "connecting") {
        dialer.state = "open";
        this.trace("open", acceptor, dialer);
        dialer.handlers.onOpen?.();
      } else if (acceptor.state !== "closed") {
        // The dialer gave up before the open arrived: the acceptor sees the drop.
        this.forget(acceptor);
        acceptor.finish(WS_ABNORMAL, "");
      }
    });
    accept(acceptor);
  }

  /** Called by an open end's send(). */
  transmit(from: MemoryEnd, data: Uint8Array): void {
    const to = from.peer;
    if (to === undefined) return;
    if (data.length > this.maxPayload) {
      // The receiver refuses it as ws does: it closes with 1009 and both sides see that.
      this.schedule(from, false, () => {
        if (to.state === "open") this.closeEnd(to, WS_TOO_BIG, "");
      });
      return;
    }
    const copy = Uint8Array.from(data);
    const link = this.linkOf(from.host, to.host);
    const faulty = link.faultable(copy);
    from.buffered += copy.length;
    let pending = copy.length;
    const settle = (): void => {
      from.buffered -= pending;
      pending = 0;
    };
    if (faulty && link.dropRate > 0 && this.rng.next() < link.dropRate) {
      this.stats.dropped += 1;
      this.schedule(from, faulty && link.reorder, () => {
        settle();
        this.trace("drop", from, to, copy);
      });
      return;
    }
    const copies = faulty && link.duplicateRate > 0 && this.rng.next() < link.duplicateRate ? 2 : 1;
    if (copies === 2) this.stats.duplicated += 1;
    for (let i = 0; i < copies; i += 1) {
      this.schedule(from, faulty && link.reorder, () => {
        settle();
        if (to.state !== "open" && to.state !== "closing") return;
        this.stats.delivered += 1;
        this.trace("message", from, to, copy);
        to.handlers.onMessage?.(copy);
      });
    }
  }

  /** Called by close(): the closing handshake, with each side's onClose firing once. */
  closeEnd(end: MemoryEnd, code: number, reason: string): void {
    if (end.state === "closing" || end.state === "closed") return;
    end.closedByUs = { code, reason };
    if (end.state === "connecting") {
      end.state = "closing";
      this.clock.setTimeout(() => {
        this.forget(end);
        end.finish(WS_ABNORMAL, "");
      }, 0);
      return;
    }
    end.state = "closing";
    const peer = end.peer;
    if (peer === undefined) return;
    this.schedule(end, false, () => {
      this.trace("close", end, peer, undefined, code);
      if (peer.state === "open") {
        peer.state = "closing";
        // The echo: the initiator's onClose fires when it comes back.
        this.schedule(peer, false, () => {
          this.forget(end);
          end.finish(code, reason);
        });
        this.forget(peer);
        peer.finish(code, reason);
      } else if (peer.state === "closing") {
        // Both sides closed at once; each one's own close frame finishes the other.
        this.forget(peer);
        peer.finish(code, reason);
      }
    });
  }

  private forget(end: MemoryEnd): void {
    this.ends.delete(end);
  }

  /** Queues a delivery from one end to its peer, in stream order unless `mayReorder`. */
  private schedule(from: MemoryEnd, mayReorder: boolean, deliver: () => void): void {
    const to = from.peer;
    if (to === undefined) return;
    const now = this.clock.now();
    const at = now + this.delay(this.linkOf(from.host, to.host));
    let when: number;
    if (mayReorder) {
      when = Math.max(at, from.lastOrderedAt);
      from.lastAnyAt = Math.max(from.lastAnyAt, when);
    } else {
      when = Math.max(at, from.lastAnyAt);
      from.lastAnyAt = when;
      from.lastOrderedAt = when;
    }
    this.clock.setTimeout(() => {
      if (from.held.length > 0 || this.blocked(from.host, to.host)) {
        this.stats.held += 1;
        from.held.push(deliver);
        if (from.held.length === 1) this.holding.add(from);
        return;
      }
      deliver();
    }, when - now);
  }

  /** After a heal: flush each stream's held deliveries in order, where no cut remains. */
  private release(): void {
    for (const end of [...this.holding]) {
      const peer = end.peer;
      if (peer === undefined || this.blocked(end.host, peer.host)) continue;
      this.holding.delete(end);
      this.clock.setTimeout(() => {
        while (end.held.length > 0) {
          if (this.blocked(end.host, peer.host)) {
            this.holding.add(end);
            return;
          }
          end.held.shift()?.();
        }
      }, 0);
    }
  }

  private trace(
    kind: TraceEvent["kind"],
    from: MemoryEnd,
    to: MemoryEnd,
    data?: Uint8Array,
    code?: number,
  ): void {
    if (this.onTrace === undefined) return;
    this.onTrace({
      at: this.clock.now(),
      kind,
      from: from.host,
      to: to.host,
      ...(data === undefined ? {} : { data }),
      ...(code === undefined ? {} : { code }),
    });
  }
}
