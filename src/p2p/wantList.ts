import type { Clock } from "./contract";
import { MAX_CONTROL_IDS } from "./frameLimits";

/** A message announced to us (IHAVE) that we do not have yet. */
export interface Wanted {
  readonly id: Uint8Array;
  readonly topic: string;
}

/** What the want-list needs from the gossip around it. */
export interface WantListHost {
  /** True when the peer is connected and trusted enough to ask. */
  canAsk(peerId: string): boolean;
  /** Sends IWANT for the message to the peer. */
  ask(peerId: string, wanted: Wanted): void;
  /** The peer was asked and did not deliver in time. */
  brokePromise(peerId: string): void;
}

interface Entry extends Wanted {
  /** Who announced it, in order; the first is asked first. */
  readonly announcers: string[];
  asked: string | undefined;
  cancel: () => void;
}

/** Messages awaited at once; more announcements are ignored until some arrive or lapse. */
export const MAX_WANTED = 5_000;

/**
 * Messages this node heard of but has not got: after `timeoutMs` without a copy, the first
 * announcer is asked, then each next one every `timeoutMs`, and an announcer asked that
 * did not deliver is reported (GossipSub's broken promise). Bounded in entries and in
 * announcers per entry.
 */
export class WantList {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly host: WantListHost,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** `peerId` announced a message we lack; false when the list is full. */
  announced(idHex: string, wanted: Wanted, peerId: string): boolean {
    const known = this.entries.get(idHex);
    if (known !== undefined) {
      if (!known.announcers.includes(peerId) && known.announcers.length < MAX_CONTROL_IDS) {
        known.announcers.push(peerId);
      }
      return true;
    }
    if (this.entries.size >= MAX_WANTED) return false;
    const entry: Entry = { ...wanted, announcers: [peerId], asked: undefined, cancel: () => {} };
    entry.cancel = this.clock.setTimeout(() => this.next(idHex, entry), this.timeoutMs);
    this.entries.set(idHex, entry);
    return true;
  }

  /** The message came: nobody needs asking any more. */
  arrived(idHex: string): void {
    const entry = this.entries.get(idHex);
    if (entry === undefined) return;
    entry.cancel();
    this.entries.delete(idHex);
  }

  clear(): void {
    for (const entry of this.entries.values()) entry.cancel();
    this.entries.clear();
  }

  private next(idHex: string, entry: Entry): void {
    if (this.entries.get(idHex) !== entry) return;
    if (entry.asked !== undefined) this.host.brokePromise(entry.asked);
    let peer: string | undefined;
    while (peer === undefined && entry.announcers.length > 0) {
      const candidate = entry.announcers.shift() as string;
      if (this.host.canAsk(candidate)) peer = candidate;
    }
    if (peer === undefined) {
      this.entries.delete(idHex);
      return;
    }
    entry.asked = peer;
    this.host.ask(peer, entry);
    entry.cancel = this.clock.setTimeout(() => this.next(idHex, entry), this.timeoutMs);
  }
}
