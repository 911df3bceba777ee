import type { ConsensusState } from "./consensusState";
import type { Signed, SignedVote } from "./messages";
import { votesFor } from "./tally";
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
  /**
   * What it signed before `last` at the same height: every vote and its latest proposal,
   * in the order signed, re-sent after a restart as they would have been without one.
   * Without them a restarted validator's earlier votes are lost to the peers that missed
   * them, and honest nodes can wait forever in a round for 2f+1 votes (the simulator
   * found it: two in round 0, a restarted one in round 1, nobody ever timing out).
   */
  readonly earlier: readonly Signed[];
  readonly lockedRound: number;
  readonly lockedValue: ConsensusValue | null;
  readonly validRound: number;
  readonly validValue: ConsensusValue | null;
  /**
   * The 2f+1 prevotes of `validRound` for the valid value (its proof of lock). Without
   * them, a crash of enough validators can lose that round's prevotes everywhere, and
   * then nobody can ever accept the valid value re-proposed with that round (line 28)
   * while the validators locked on it accept nothing else: a livelock the simulator found.
   */
  readonly validProof: readonly SignedVote[];
}

/** Votes and proposals kept in `earlier` at most (the oldest go first). */
export const MAX_SAVED_MESSAGES = 256;

/**
 * The record to write before `last`, signed in `state`'s step, leaves the node;
 * `previous` is the record it replaces (its messages of the same height carry over).
 */
export function savedState(state: ConsensusState, last: Signed, previous?: SavedState): SavedState {
  const sameHeight = previous?.last.message.height === last.message.height;
  const before = previous === undefined || !sameHeight ? [] : [...previous.earlier, previous.last];
  const latestProposal = before.findLast((s) => s.message.type === "proposal");
  const earlier = before
    .filter((s) => s.message.type !== "proposal" || s === latestProposal)
    .slice(-MAX_SAVED_MESSAGES);
  return {
    last,
    earlier,
    lockedRound: state.lockedRound,
    lockedValue: state.lockedValue,
    validRound: state.validRound,
    validValue: state.validValue,
    validProof:
      state.validValue === null
        ? []
        : votesFor(state.rounds.get(state.validRound)?.prevotes ?? new Map(), state.validValue.id),
  };
}
