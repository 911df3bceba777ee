/** What a peer did that its score counts (GossipSub v1.1's P2, P4 and P7). */
export type ScoreEvent =
  /** A message we had not seen, first from this peer (P2, capped). */
  | "first_delivery"
  /** A message the subscriber rejected on a validated topic (P4). */
  | "invalid_message"
  /** An IHAVE it announced and then did not deliver when asked (P7). */
  | "broken_promise"
  /** Control traffic over the per-heartbeat bounds, or pushing after being choked (P7). */
  | "flooding";

/** Weights, GossipSub-style: penalties outweigh what honest delivery can earn. */
export const SCORE_WEIGHTS = Object.freeze({
  first_delivery: 0.5,
  invalid_message: -20,
  broken_promise: -2,
  flooding: -2,
} satisfies Record<ScoreEvent, number>);
/** What first deliveries can earn a peer at most, so an old friend cannot bank immunity. */
export const MAX_DELIVERY_CREDIT = 10;
/** Per heartbeat, every score moves this fraction towards zero. */
export const SCORE_DECAY = 0.98;
/** Scores nearer zero than this are forgotten. */
const SCORE_EPSILON = 0.01;

export interface PeerScoreOptions {
  /** Peers scored below this get no IHAVE from us and theirs are ignored. */
  readonly gossipThreshold: number;
  /** Peers scored below this are ignored entirely: their gossip and control frames dropped. */
  readonly graylistThreshold: number;
  /** Scores kept (peers seen recently); the lowest-magnitude ones go first. */
  readonly maxPeers: number;
}

interface Entry {
  credit: number;
  penalty: number;
}

/**
 * Peer scores for mesh gossip, kept by node id so that reconnecting does not wash a
 * peer clean. A score is its capped delivery credit plus its penalties, decayed each
 * heartbeat; peers below zero are pruned from meshes and not grafted, below
 * gossipThreshold get and give no announcements, below graylistThreshold are ignored.
 */
export class PeerScores {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: PeerScoreOptions) {}

  score(peerId: string): number {
    const entry = this.entries.get(peerId);
    return entry === undefined ? 0 : entry.credit + entry.penalty;
  }

  record(peerId: string, event: ScoreEvent): void {
    let entry = this.entries.get(peerId);
    if (entry === undefined) {
      if (this.entries.size >= this.options.maxPeers) this.evict();
      entry = { credit: 0, penalty: 0 };
      this.entries.set(peerId, entry);
    }
    const weight = SCORE_WEIGHTS[event];
    if (weight > 0) entry.credit = Math.min(MAX_DELIVERY_CREDIT, entry.credit + weight);
    else entry.penalty += weight;
  }

  /** True when gossip (IHAVE, IWANT) with the peer is worth exchanging. */
  gossipsWith(peerId: string): boolean {
    return this.score(peerId) >= this.options.gossipThreshold;
  }

  graylisted(peerId: string): boolean {
    return this.score(peerId) < this.options.graylistThreshold;
  }

  /** The heartbeat's decay. */
  decay(): void {
    for (const [peerId, entry] of this.entries) {
      entry.credit *= SCORE_DECAY;
      entry.penalty *= SCORE_DECAY;
      if (Math.abs(entry.credit) + Math.abs(entry.penalty) < SCORE_EPSILON) {
        this.entries.delete(peerId);
      }
    }
  }

  private evict(): void {
    let victim: string | undefined;
    let smallest = Number.POSITIVE_INFINITY;
    for (const [peerId, entry] of this.entries) {
      const size = Math.abs(entry.credit + entry.penalty);
      if (size < smallest) {
        smallest = size;
        victim = peerId;
      }
    }
    if (victim !== undefined) this.entries.delete(victim);
  }
}
