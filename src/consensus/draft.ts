import type { ConsensusConfig } from "./consensusConfig";
import { type ConsensusState, emptyRound, type RoundState, type Step } from "./consensusState";
import type { ConsensusMessage, VoteType } from "./messages";
import type { ConsensusOutput } from "./outputs";
import { type TimeoutKind, timeoutDuration } from "./timeouts";
import type { ConsensusValue, ValueId } from "./values";

/**
 * The working copy one `step` call edits. Scalars are copied; the round maps are copied
 * on first write, and a round is replaced, never edited, so the caller's state is never
 * touched (`step` stays pure) while a step costs only what it changes.
 */
export class Draft {
  readonly config: ConsensusConfig;
  readonly outputs: ConsensusOutput[] = [];
  /** Whether this node votes on this chain (followers only tally). */
  readonly isValidator: boolean;
  height: number;
  round: number;
  step: Step;
  lockedValue: ConsensusValue | null;
  lockedRound: number;
  validValue: ConsensusValue | null;
  validRound: number;
  rounds: ReadonlyMap<number, RoundState>;
  nextRounds: ReadonlyMap<number, RoundState>;
  awaitingValue: boolean;
  reported: ReadonlySet<string>;
  decision: ConsensusState["decision"];

  constructor(state: ConsensusState) {
    this.config = state.config;
    this.isValidator = state.config.validators.byId.has(state.config.self);
    this.height = state.height;
    this.round = state.round;
    this.step = state.step;
    this.lockedValue = state.lockedValue;
    this.lockedRound = state.lockedRound;
    this.validValue = state.validValue;
    this.validRound = state.validRound;
    this.rounds = state.rounds;
    this.nextRounds = state.nextRounds;
    this.awaitingValue = state.awaitingValue;
    this.reported = state.reported;
    this.decision = state.decision;
  }

  /** A round of the current height (an empty one when nothing arrived for it yet). */
  roundState(round: number): RoundState {
    return this.rounds.get(round) ?? emptyRound;
  }

  /** Replaces one round of the current height, or of the next one with `next`. */
  setRound(round: number, value: RoundState, next = false): void {
    const copy = new Map(next ? this.nextRounds : this.rounds);
    copy.set(round, value);
    if (next) this.nextRounds = copy;
    else this.rounds = copy;
  }

  markReported(key: string): void {
    this.reported = new Set(this.reported).add(key);
  }

  broadcast(message: ConsensusMessage): void {
    if (this.isValidator) this.outputs.push({ type: "broadcast", message });
  }

  /** Broadcasts this node's vote of `type` for the current height and round. */
  vote(type: VoteType, valueId: ValueId | null): void {
    this.broadcast({
      type,
      chainId: this.config.chainId,
      height: this.height,
      round: this.round,
      valueId,
      voter: this.config.self,
    });
  }

  scheduleTimeout(kind: TimeoutKind): void {
    this.outputs.push({
      type: "scheduleTimeout",
      kind,
      height: this.height,
      round: this.round,
      durationMs: timeoutDuration(this.config.timeouts, kind, this.round),
    });
  }

  freeze(): ConsensusState {
    return {
      config: this.config,
      height: this.height,
      round: this.round,
      step: this.step,
      lockedValue: this.lockedValue,
      lockedRound: this.lockedRound,
      validValue: this.validValue,
      validRound: this.validRound,
      rounds: this.rounds,
      nextRounds: this.nextRounds,
      awaitingValue: this.awaitingValue,
      reported: this.reported,
      decision: this.decision,
    };
  }
}
