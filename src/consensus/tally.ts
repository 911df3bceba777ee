import type { RoundState } from "./consensusState";
import type { SignedVote } from "./messages";
import type { ValidatorSet } from "./validatorSet";
import type { ValueId } from "./values";

/** Sentinel for "votes for anything", Algorithm 1's ∗. */
export const ANY = Symbol("any");

/**
 * Voting power of the validators that voted for `valueId` (null: nil; ANY: anything).
 * Each validator counts at most once per tally. An equivocator's signed vote for X counts
 * toward X even when it voted for Y first: that is Algorithm 1's reading (a predicate over
 * the messages received), its safety argument rests only on honest validators voting
 * once, and counting just the first vote lets two honest nodes that saw the equivocator's
 * votes in different orders disagree forever (a deadlock the simulator found).
 */
export function votePower(
  votes: ReadonlyMap<string, readonly SignedVote[]>,
  valueId: ValueId | null | typeof ANY,
  validators: ValidatorSet,
): number {
  let power = 0;
  for (const [voter, cast] of votes) {
    if (valueId === ANY || cast.some((v) => v.message.valueId === valueId)) {
      power += validators.byId.get(voter)?.power ?? 0;
    }
  }
  return power;
}

/** The votes for `valueId`, one per validator: a certificate's precommits. */
export function votesFor(
  votes: ReadonlyMap<string, readonly SignedVote[]>,
  valueId: ValueId,
): SignedVote[] {
  const found: SignedVote[] = [];
  for (const cast of votes.values()) {
    const vote = cast.find((v) => v.message.valueId === valueId);
    if (vote !== undefined) found.push(vote);
  }
  return found;
}

/** Voting power of the distinct validators that sent any message in the round (line 55). */
export function senderPower(round: RoundState, validators: ValidatorSet): number {
  const senders = new Set<string>([...round.prevotes.keys(), ...round.precommits.keys()]);
  for (const p of round.proposals) senders.add(p.signed.message.proposer);
  let power = 0;
  for (const id of senders) power += validators.byId.get(id)?.power ?? 0;
  return power;
}
