import type { ConsensusConfig } from "./consensusConfig";
import type { SignedProposal, SignedVote } from "./messages";
import type { ConsensusValue } from "./values";

/** "idle" before the first start; "decided" after a decision, until the next start. */
export type Step = "idle" | "propose" | "prevote" | "precommit" | "decided";

export interface StoredProposal {
  readonly signed: SignedProposal;
  /** valid(v) as the engine judged it. */
  readonly valid: boolean;
}

/** What one round of the current height has received, and which once-only rules fired. */
export interface RoundState {
  /** From the round's proposer; the first drives our prevote, the rest are equivocations. */
  readonly proposals: readonly StoredProposal[];
  /**
   * Each validator's prevotes in arrival order: one for an honest validator, more (up to
   * MAX_VOTES_PER_VALIDATOR, all different) for an equivocator. See `votePower` for how
   * they count.
   */
  readonly prevotes: ReadonlyMap<string, readonly SignedVote[]>;
  readonly precommits: ReadonlyMap<string, readonly SignedVote[]>;
  /** Line 34 has fired. */
  readonly prevoteTimeoutScheduled: boolean;
  /** Line 47 has fired. */
  readonly precommitTimeoutScheduled: boolean;
  /** Line 36 has fired. */
  readonly validValueUpdated: boolean;
}

/**
 * One chain's consensus state: Algorithm 1's variables (h_p, round_p, step_p, lockedValue_p,
 * lockedRound_p, validValue_p, validRound_p) plus the messages received. Immutable:
 * `step` returns a new state and never changes the one it was given.
 */
export interface ConsensusState {
  readonly config: ConsensusConfig;
  readonly height: number;
  readonly round: number;
  readonly step: Step;
  readonly lockedValue: ConsensusValue | null;
  readonly lockedRound: number;
  readonly validValue: ConsensusValue | null;
  readonly validRound: number;
  /** Rounds of `height` with any message in them. */
  readonly rounds: ReadonlyMap<number, RoundState>;
  /** Rounds of `height + 1`, buffered while this height finishes; `start` takes them over. */
  readonly nextRounds: ReadonlyMap<number, RoundState>;
  /** Set between `requestValue` and the matching `proposalValue`. */
  readonly awaitingValue: boolean;
  /** "height/round/type/validator" of equivocations already reported, so each is reported once. */
  readonly reported: ReadonlySet<string>;
  readonly decision: { readonly round: number; readonly value: ConsensusValue } | null;
}

export const NO_ROUND = -1;

export const emptyRound: RoundState = {
  proposals: [],
  prevotes: new Map(),
  precommits: new Map(),
  prevoteTimeoutScheduled: false,
  precommitTimeoutScheduled: false,
  validValueUpdated: false,
};
