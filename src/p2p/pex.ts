import { signAddressRecord, verifyAddressRecord } from "./addressRecord";
import { addressRefusal } from "./addressRefusal";
import type { NodeIdentity, Rng } from "./contract";
import { encodeFrame } from "./encodeFrame";
import { MAX_PEX_RECORDS } from "./frameLimits";
import type { AddressRecord, PexFrame } from "./frameTypes";
import type { LinkWriter, P2PContext } from "./p2pContext";
import { parseAddress } from "./parseAddress";
import type { PeerLink, StaticSlot } from "./peerLink";
import type { PeerTable } from "./peerTable";
import { pick } from "./pick";

/** What peer exchange needs from the links: writing frames and dialing learned addresses. */
export interface PexLinks extends LinkWriter {
  readonly listenAddress: string | undefined;
  dialLearned(address: string, id: string): StaticSlot | undefined;
}

/** A learned peer: its newest record and how dialing it went. */
interface BookEntry {
  record: AddressRecord;
  failures: number;
  /** Not dialed again before this. */
  retryAt: number;
}

/** A record signed this far in the future is refused (clocks disagree, not by hours). */
const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;
/** A learned peer that failed this many dials in a row is forgotten. */
const MAX_DIAL_FAILURES = 5;
/** First retry after a failed dial; doubles per failure. */
const DIAL_RETRY_MS = 30_000;
/** The first top-up comes this soon after start, so a node with one seed fills up quickly. */
const FIRST_ROUND_MS = 1_000;
/** Learned dials in flight at once. */
const MAX_CONCURRENT_DIALS = 8;

/**
 * Peer exchange (in the manner of CometBFT's PEX): every node signs a record of the
 * address it listens on; on connecting, peers swap their own records and ask for more;
 * each answer carries at most MAX_PEX_RECORDS records drawn at random from the book. A
 * record is kept only when its signature is by the key of the id it names (so a relay
 * cannot redirect a node's id elsewhere), it is recent, and its address is dialable.
 * Every pexIntervalMs the node dials learned peers until it has targetOutboundPeers
 * outbound connections (static peers count and keep their own redials).
 */
export class Pex {
  private readonly book = new Map<string, BookEntry>();
  private readonly dialing = new Map<string, StaticSlot>();
  /** Peers we answered since the last round: one answer per peer per round. */
  private readonly answered = new Set<string>();
  private ownRecord: AddressRecord | undefined;
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly ctx: P2PContext,
    private readonly identity: NodeIdentity,
    private readonly table: PeerTable,
    private readonly links: PexLinks,
    private readonly rng: Rng,
  ) {}

  private get enabled(): boolean {
    return this.ctx.options.pex;
  }

  /** Learned addresses now. */
  get known(): number {
    return this.book.size;
  }

  /** Learned records, for an operator's view. */
  records(): AddressRecord[] {
    return [...this.book.values()].map((e) => e.record);
  }

  start(): void {
    if (!this.enabled) return;
    const listen = this.links.listenAddress;
    if (listen !== undefined && addressRefusal(listen) === undefined) {
      this.ownRecord = signAddressRecord(
        this.identity,
        this.ctx.options.networkId,
        listen,
        this.ctx.clock.now(),
      );
    }
    this.schedule(Math.min(FIRST_ROUND_MS, this.ctx.options.pexIntervalMs));
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.dialing.clear();
  }

  /** A peer just connected: tell it where we listen and ask what it knows. */
  peerUp(link: PeerLink): void {
    if (!this.enabled) return;
    this.send(link, true, this.ownRecord === undefined ? [] : [this.ownRecord]);
  }

  /** A peer we have no room for: it gets addresses to try instead, before the link closes. */
  farewell(link: PeerLink): void {
    if (!this.enabled) return;
    this.send(link, false, this.sample(link.peerId));
  }

  receive(link: PeerLink, peerId: string, frame: PexFrame): void {
    if (!this.enabled) return;
    const { counters } = this.ctx;
    const fromHost = hostOf(link.address);
    for (const record of frame.records) this.learn(record, fromHost);
    if (!frame.want) return;
    counters.pex.requests += 1;
    if (this.answered.has(peerId)) return;
    this.answered.add(peerId);
    this.send(link, false, this.sample(peerId));
  }

  /** Up to MAX_PEX_RECORDS records for `peerId`: ours and others at random, never its own. */
  private sample(peerId: string | undefined): AddressRecord[] {
    const others = [...this.book.values()]
      .map((e) => e.record)
      .filter((r) => r.id !== peerId && !this.isExpired(r));
    const records = pick(others, MAX_PEX_RECORDS - 1, this.rng);
    if (this.ownRecord !== undefined) records.push(this.ownRecord);
    return records;
  }

  /** Keeps a record when it is signed by its id, recent, dialable and not ours. */
  private learn(record: AddressRecord, fromHost: string | undefined): void {
    const { counters, options } = this.ctx;
    counters.pex.recordsReceived += 1;
    const now = this.ctx.clock.now();
    const known = this.book.get(record.id);
    if (record.id === this.ctx.id || (known !== undefined && known.record.at >= record.at)) return;
    if (
      this.isExpired(record) ||
      record.at > now + MAX_CLOCK_SKEW_MS ||
      addressRefusal(record.address, fromHost) !== undefined ||
      !verifyAddressRecord(record, options.networkId)
    ) {
      counters.pex.recordsRefused += 1;
      return;
    }
    if (known !== undefined) {
      known.record = record;
      return;
    }
    if (this.book.size >= options.maxAddressBook) {
      // Forget a random unconnected one: an attacker flooding records cannot pin the book.
      const unconnected = [...this.book.keys()].filter((id) => !this.table.byId.has(id));
      const victim = pick(unconnected, 1, this.rng)[0];
      if (victim === undefined) return;
      this.book.delete(victim);
    }
    this.book.set(record.id, { record, failures: 0, retryAt: 0 });
    counters.pex.known = this.book.size;
  }

  private isExpired(record: AddressRecord): boolean {
    return record.at + this.ctx.options.addressRecordTtlMs < this.ctx.clock.now();
  }

  private send(link: PeerLink, want: boolean, records: AddressRecord[]): void {
    if (link.state !== "authenticated") return;
    const frame: PexFrame = { type: "pex", want, records };
    this.links.write(link, encodeFrame(frame));
  }

  private schedule(delayMs: number): void {
    this.cancelTimer = this.ctx.clock.setTimeout(() => {
      this.round();
      this.schedule(this.ctx.options.pexIntervalMs);
    }, delayMs);
  }

  /** Settles finished dials, dials up to the target, and asks one peer for more addresses. */
  private round(): void {
    const { ctx } = this;
    const now = ctx.clock.now();
    this.answered.clear();
    for (const [id, slot] of this.dialing) {
      // Still connecting; once authenticated the link counts as outbound below instead.
      if (slot.link !== undefined && slot.link.state !== "authenticated") continue;
      this.dialing.delete(id);
      const entry = this.book.get(id);
      if (entry === undefined) continue;
      if (slot.authenticatedOnce === true) {
        entry.failures = 0;
      } else {
        entry.failures += 1;
        entry.retryAt = now + DIAL_RETRY_MS * 2 ** (entry.failures - 1);
        if (entry.failures >= MAX_DIAL_FAILURES) this.book.delete(id);
      }
    }
    for (const [id, entry] of this.book) if (this.isExpired(entry.record)) this.book.delete(id);
    ctx.counters.pex.known = this.book.size;
    // Dials in flight count, so a slow handshake is not dialed around.
    let outbound = this.dialing.size;
    for (const link of this.table.byId.values()) if (link.direction === "outbound") outbound += 1;
    const want = Math.min(
      ctx.options.targetOutboundPeers - outbound,
      MAX_CONCURRENT_DIALS - this.dialing.size,
    );
    if (want > 0) {
      const candidates = [...this.book.values()].filter(
        (e) =>
          e.retryAt <= now &&
          !this.table.byId.has(e.record.id) &&
          !this.dialing.has(e.record.id) &&
          !this.isStatic(e.record.address),
      );
      for (const entry of pick(candidates, want, this.rng)) {
        const slot = this.links.dialLearned(entry.record.address, entry.record.id);
        if (slot === undefined) {
          this.book.delete(entry.record.id);
          continue;
        }
        ctx.counters.pex.dials += 1;
        this.dialing.set(entry.record.id, slot);
      }
    }
    const peers = [...this.table.byId.values()].filter((l) => l.state === "authenticated");
    const asked = pick(peers, 1, this.rng)[0];
    if (asked !== undefined) this.send(asked, true, []);
  }

  private isStatic(address: string): boolean {
    return this.table.slots.some((s) => s.address === address);
  }
}

function hostOf(address: string): string | undefined {
  try {
    return parseAddress(address).host;
  } catch {
    return undefined;
  }
}
