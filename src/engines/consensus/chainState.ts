import {
  type ConsensusState,
  comparePositions,
  createVoteSync,
  type MessageType,
  type Signed,
  savedState,
  type VoteSync,
} from "../../consensus";
import type { ScheduledActivation } from "./activation";
import type { BlockPart, PartSet } from "./blockParts";
import type { ConsensusArgs } from "./consensusArgs";
import { type ConsensusMetrics, newConsensusMetrics } from "./consensusMetrics";
import { loadSignRecord, type SignRecord } from "./signGuard";
import type { ValidatorSets } from "./validatorSets";

/** A decided block on its way to ordering. */
export interface HeldCommit {
  height: number;
  block: Uint8Array;
  certificate: unknown;
}

export interface ConsensusStats {
  decided: number;
  rejected: number;
  evidence: number;
  caughtUp: number;
  /** Proposals and decided blocks that did not extend this node's chain. */
  diverged: number;
  /** Signatures not sent because the write-ahead record could not be written. */
  recordFailures: number;
}

/** One chain's consensus engine state. */
export interface ChainState {
  args: ConsensusArgs;
  core: ConsensusState;
  /** Bumped when the core is replaced (after an activation): older timers are stale. */
  epoch: number;
  /** Our signed messages at the current height, re-sent until the height is decided. */
  own: Signed[];
  /** Last time each validator was heard from. */
  seen: Map<string, number>;
  lastCommit: { height: number; round: number; time: number } | undefined;
  highestSeen: number;
  catchUp: { inFlight: boolean; last: number };
  stats: ConsensusStats;
  /** Totals and the commit-latency histogram the metrics endpoint reads (1.5.0). */
  metrics: ConsensusMetrics;
  /** Ids of recently decided blocks by height: the parent the next block must name. */
  ids: Map<number, string>;
  /** The height whose id is being read back from the store (after a restart). */
  loadingId: number | undefined;
  /**
   * Decided blocks in height order, each forwarded to ordering only once the store holds
   * the height before it and the block names that height's id and root.
   */
  held: HeldCommit[];
  /** Proposals that cannot be judged before the store holds the height before them. */
  deferred: Array<{ signed: Signed; from: string | undefined }>;
  /** valid(v) of proposals already judged, by "height/round/valueId" (rebroadcasts repeat them). */
  judged: Map<string, { height: number; valid: boolean }>;
  /** A poll of the store is scheduled. */
  polling: boolean;
  /** Set when a decided block does not extend this node's chain: it signs and applies nothing more. */
  halted: string | undefined;
  /** The last divergence seen, in one line. */
  alarm: string | undefined;
  activation: ScheduledActivation | undefined;
  /** The activation (version@height) that last went through, so late re-sends do not pause again. */
  activated: string | undefined;
  /** An activation refused as too late, logged once. */
  lateActivation: string | undefined;
  /** The first height after a (re)start, held for STARTUP_HOLD_MS (see activationPause). */
  holdHeight: number | undefined;
  /** Gossip at or after the activation height, fed in once it activated. */
  buffered: Array<{ signed: Signed; from: string | undefined }>;
  /** What the write-ahead record on disk says this validator signed last (see signGuard). */
  record: SignRecord;
  /** Which validators vote at which height (see validatorSets). */
  sets: ValidatorSets;
  /** What each neighbour holds, for the vote sync (see docs/consensus.md). */
  sync: VoteSync;
  /** Neighbours as the transport last listed them. */
  neighbours: Set<string>;
  /** Keys of the messages of one height already noted for the sync. */
  synced: { height: number; keys: Set<string> };
  /** A sync flush is scheduled. */
  flushing: boolean;
  /** Block parts still to send, per neighbour (see blockParts). */
  partsOut: Map<string, BlockPart[]>;
  /** Blocks arriving in parts, by "neighbour/valueId", with their proposal. */
  partsIn: Map<string, { set: PartSet; signed: Signed }>;
}

type AddedIn110 =
  | "epoch"
  | "ids"
  | "loadingId"
  | "held"
  | "deferred"
  | "judged"
  | "polling"
  | "halted"
  | "alarm"
  | "activation"
  | "activated"
  | "lateActivation"
  | "holdHeight"
  | "buffered";

/** A state as 1.0.0 left it: without the chain links and activations (nor the record). */
export type StateBefore110 = Omit<ChainState, AddedIn110 | "stats" | "record"> &
  Partial<Pick<ChainState, AddedIn110 | "record">> & {
    stats: Omit<ConsensusStats, "diverged" | "recordFailures"> & {
      diverged?: number;
      recordFailures?: number;
    };
  };

/** A state as 1.1.0 left it: without the write-ahead record. */
export type StateBefore120 = Omit<ChainState, "record" | "sets"> & {
  record?: SignRecord;
  sets?: ValidatorSets;
};

/** Fills in the fields added in 1.1.0 (a no-op on a 1.1.0 state), for a hot swap. */
export function withLinkFields(old: StateBefore110): StateBefore120 {
  return {
    ...old,
    epoch: old.epoch ?? 0,
    stats: {
      ...old.stats,
      diverged: old.stats.diverged ?? 0,
      recordFailures: old.stats.recordFailures ?? 0,
    },
    ids: old.ids ?? new Map(),
    loadingId: old.loadingId,
    held: old.held ?? [],
    deferred: old.deferred ?? [],
    judged: old.judged ?? new Map(),
    polling: old.polling ?? false,
    halted: old.halted,
    alarm: old.alarm,
    activation: old.activation,
    activated: old.activated,
    lateActivation: old.lateActivation,
    holdHeight: old.holdHeight,
    buffered: old.buffered ?? [],
  };
}

const FORMAT1_STEPS: readonly MessageType[] = ["proposal", "prevote", "precommit"];

/**
 * Before 1.2.0 the guard, a class instance in the engine's arguments, kept only the last
 * position (format 1), and the lock lived in the core alone. A running node swapped to
 * 1.2.0 still has both in memory: what it signed at that position is in `own` (its
 * messages of the current height), so the record is whole again; otherwise it is the
 * position alone, sealing its height. The file is rewritten in format 2 at the next
 * signature.
 */
export function withSignRecord(old: StateBefore120): StateBefore130 {
  if (old.record !== undefined) return { ...old, record: old.record };
  const last = (old.args.guard as { last?: { height: number; round: number; rank: number } }).last;
  // Never signed, or (format 1 read errors as nothing) its file is unreadable: read it.
  if (last === undefined) {
    const { guard, chain, identity } = old.args;
    return { ...old, record: loadSignRecord(guard.file, chain, identity.id) };
  }
  const type = FORMAT1_STEPS[last.rank];
  const own = old.own.find(
    (s) =>
      s.message.height === last.height && s.message.round === last.round && s.message.type === type,
  );
  if (own !== undefined && old.core.height === last.height) {
    const earlier = old.own.filter((s) => comparePositions(s.message, own.message) < 0);
    return { ...old, record: { kind: "saved", saved: { ...savedState(old.core, own), earlier } } };
  }
  return { ...old, record: { kind: "sealed", height: last.height } };
}

/** A state as 1.2.0 left it: without the validator sets by height. */
export type StateBefore130 = Omit<StateBefore140, "sets"> & { sets?: ValidatorSets };

type AddedIn140 = "sync" | "neighbours" | "synced" | "flushing" | "partsOut" | "partsIn";

/** A state as 1.4.0 left it: without the metrics. */
export type StateBefore150 = Omit<ChainState, "metrics"> & { metrics?: ConsensusMetrics };

/** Before 1.5.0 nothing was counted for the metrics: they start from nothing. */
export function withMetrics(old: StateBefore150): ChainState {
  return { ...old, metrics: old.metrics ?? newConsensusMetrics() };
}

/** A state as 1.3.0 left it: without the vote sync. */
export type StateBefore140 = Omit<StateBefore150, AddedIn140> &
  Partial<Pick<ChainState, AddedIn140>>;

/**
 * Before 1.4.0 messages went by gossip alone and were re-published every second; the
 * sync starts knowing nothing of the neighbours, so the first flush sends each one our
 * status and, once it answers with its own, what it lacks.
 */
export function withVoteSync(old: StateBefore140): StateBefore150 {
  return {
    ...old,
    sync: old.sync ?? createVoteSync(),
    neighbours: old.neighbours ?? new Set(),
    synced: old.synced ?? { height: old.core.height, keys: new Set() },
    flushing: old.flushing ?? false,
    partsOut: old.partsOut ?? new Map(),
    partsIn: old.partsIn ?? new Map(),
  };
}

/**
 * Before 1.3.0 the configured set voted at every height and no change could commit; the
 * store is read once (as at a start) before the next height begins.
 */
export function withValidatorSets(old: StateBefore130): StateBefore140 {
  if (old.sets !== undefined) return { ...old, sets: old.sets };
  return {
    ...old,
    sets: {
      stored: undefined,
      asOf: -1,
      changes: [old.args.store.height],
      loading: false,
      broken: undefined,
      waitingStart: undefined,
    },
  };
}
