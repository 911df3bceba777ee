import { checkMessage } from "./checkMessage";
import { emptyRound, type RoundState } from "./consensusState";
import type { Draft } from "./draft";
import { MAX_PROPOSALS_PER_ROUND, MAX_ROUND_AHEAD, MAX_VOTES_PER_VALIDATOR } from "./limits";
import { type Signed, type SignedProposal, type SignedVote, signerOf } from "./messages";
import { proposerOf } from "./proposerOf";

/**
 * Files a verified message under its round, for the current height or the next one, and
 * reports equivocation: an identical copy (the network duplicates) is dropped silently;
 * a second, different message of a validator for one (height, round, type) is reported
 * once and kept (within bounds) for the tallies, which never count a validator twice.
 * Returns whether anything was recorded.
 * Signatures are the engine's job (`verifyMessage`); the cheap structural checks are
 * repeated here so a careless caller cannot corrupt the tallies.
 */
export function recordMessage(draft: Draft, signed: Signed, valid: boolean): boolean {
  const m = signed.message;
  if (draft.step === "idle" || !checkMessage(m) || m.chainId !== draft.config.chainId) return false;
  const validators = draft.config.validators;
  if (!validators.byId.has(signerOf(m))) return false;
  if (m.type === "proposal" && proposerOf(validators, m.height, m.round) !== m.proposer) {
    return false;
  }
  const next = m.height === draft.height + 1;
  if (next) {
    if (m.round > MAX_ROUND_AHEAD) return false;
  } else if (m.height !== draft.height || draft.step === "decided") {
    return false;
  } else if (m.round > draft.round + MAX_ROUND_AHEAD) {
    return false;
  }
  const rounds = next ? draft.nextRounds : draft.rounds;
  const round = rounds.get(m.round) ?? emptyRound;
  const updated =
    m.type === "proposal"
      ? withProposal(draft, round, signed as SignedProposal, valid)
      : withVote(draft, round, signed as SignedVote);
  if (updated === undefined) return false;
  draft.setRound(m.round, updated, next);
  return true;
}

function withProposal(
  draft: Draft,
  round: RoundState,
  signed: SignedProposal,
  valid: boolean,
): RoundState | undefined {
  const m = signed.message;
  const first = round.proposals[0];
  if (first === undefined) return { ...round, proposals: [{ signed, valid }] };
  const same = round.proposals.some(
    (p) => p.signed.message.value.id === m.value.id && p.signed.message.validRound === m.validRound,
  );
  if (same) return undefined;
  report(draft, first.signed, signed);
  if (round.proposals.length >= MAX_PROPOSALS_PER_ROUND) return undefined;
  return { ...round, proposals: [...round.proposals, { signed, valid }] };
}

function withVote(draft: Draft, round: RoundState, signed: SignedVote): RoundState | undefined {
  const m = signed.message;
  const votes = m.type === "prevote" ? round.prevotes : round.precommits;
  const existing = votes.get(m.voter) ?? [];
  const first = existing[0];
  if (existing.some((v) => v.message.valueId === m.valueId)) return undefined;
  if (first !== undefined) report(draft, first, signed);
  if (existing.length >= MAX_VOTES_PER_VALIDATOR) return undefined;
  const copy = new Map(votes).set(m.voter, [...existing, signed]);
  return m.type === "prevote" ? { ...round, prevotes: copy } : { ...round, precommits: copy };
}

function report(draft: Draft, first: Signed, second: Signed): void {
  const m = first.message;
  const validator = signerOf(m);
  const key = `${m.height}/${m.round}/${m.type}/${validator}`;
  if (draft.reported.has(key)) return;
  draft.markReported(key);
  draft.outputs.push({
    type: "evidence",
    evidence: {
      chainId: m.chainId,
      height: m.height,
      round: m.round,
      type: m.type,
      validator,
      first,
      second,
    },
  });
}
