import type { ConsensusInput, ConsensusState, MessageType } from "../../consensus";

/** Upper bounds (seconds) of the commit-latency histogram's buckets; +Inf is implied. */
export const COMMIT_SECONDS_BUCKETS: readonly number[] = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/**
 * What the metrics endpoint reads from consensus at scrape time: totals since the engine
 * started (a restart starts them again, as Prometheus expects of counters), and the
 * time from starting a height to deciding it as a histogram. Counted in the engine's own
 * state, so nothing outside it pays on the hot path.
 */
export interface ConsensusMetrics {
  /** Rounds entered past round 0: each one a round that did not decide. */
  rounds: number;
  /** Signed messages taken into the state machine (this node's own included), by type. */
  messages: Record<MessageType, number>;
  commitSeconds: { counts: number[]; sum: number; count: number };
  /** When the current height started (ms), for its commit latency. */
  heightStartedAt: number | undefined;
}

export function newConsensusMetrics(): ConsensusMetrics {
  return {
    rounds: 0,
    messages: { proposal: 0, prevote: 0, precommit: 0 },
    commitSeconds: { counts: COMMIT_SECONDS_BUCKETS.map(() => 0), sum: 0, count: 0 },
    heightStartedAt: undefined,
  };
}

/** One decided height: the time since it started goes into its bucket. */
export function observeCommit(m: ConsensusMetrics, now: number): void {
  if (m.heightStartedAt === undefined) return;
  const seconds = Math.max(0, now - m.heightStartedAt) / 1000;
  const h = m.commitSeconds;
  const i = COMMIT_SECONDS_BUCKETS.findIndex((bound) => seconds <= bound);
  if (i >= 0) h.counts[i] = (h.counts[i] ?? 0) + 1;
  h.sum += seconds;
  h.count += 1;
  m.heightStartedAt = undefined;
}

/** Counts one step of the state machine: a message taken, rounds entered, a height begun. */
export function countStep(
  m: ConsensusMetrics,
  input: ConsensusInput,
  before: ConsensusState,
  after: ConsensusState,
  now = Date.now(),
): void {
  if (input.type === "message") {
    const type = input.signed.message.type;
    m.messages[type] = (m.messages[type] ?? 0) + 1;
  }
  if (after.height !== before.height) m.heightStartedAt = now;
  else if (after.round > before.round) m.rounds += after.round - before.round;
}
