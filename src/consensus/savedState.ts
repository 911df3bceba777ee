import type { ConsensusState } from "./consensusState";
import type { Signed } from "./messages";
import type { ConsensusValue } from "./values";

/**
 * What a validator keeps on disk for the height it last signed at, written and flushed
 * before the signature leaves the node: the last message signed (its position is the
 * highest this validator ever signed, and the message itself may be re-sent as it was)
 * and the lock and valid value at that moment. Locks never change without a signature
 * (line 36 locks and precommits in one step), so this is the lock a crash can lose.
 */
export interface SavedState {
  readonly last: Signed;
  readonly lockedRound: number;
  readonly lockedValue: ConsensusValue | null;
  readonly validRound: number;
  readonly validValue: ConsensusValue | null;
}

/** The record to write before `last`, signed in `state`'s step, leaves the node. */
export function savedState(state: ConsensusState, last: Signed): SavedState {
  return {
    last,
    lockedRound: state.lockedRound,
    lockedValue: state.lockedValue,
    validRound: state.validRound,
    validValue: state.validValue,
  };
}
