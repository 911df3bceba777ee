import type { Draft } from "./draft";
import { exceedsOneThird, isQuorum } from "./quorum";
import { startRound } from "./startRound";
import { ANY, senderPower, votePower, votesFor } from "./tally";

/**
 * The upon-rules of Algorithm 1. A rule that fires changes the state (step, round or a
 * once-flag), which can enable another, so they are re-checked until none fires; each
 * firing disables itself, so the loop ends. Decision (line 49) is checked first, then
 * the round skip (line 55), then the rules of the current round in the paper's order.
 */
export function applyRules(draft: Draft): void {
  while (draft.step !== "idle" && draft.step !== "decided" && fireOne(draft)) {
    // each pass fired exactly one rule
  }
}

function fireOne(d: Draft): boolean {
  return (
    decide(d) ||
    skipRound(d) ||
    prevoteOnProposal(d) ||
    schedulePrevoteTimeout(d) ||
    lockOnPrevotes(d) ||
    precommitNil(d) ||
    schedulePrecommitTimeout(d)
  );
}

/** Line 49: a proposal and 2f+1 precommits for its value in any round of this height. */
function decide(d: Draft): boolean {
  const validators = d.config.validators;
  for (const [round, rs] of d.rounds) {
    if (!isQuorum(votePower(rs.precommits, ANY, validators), validators.totalPower)) continue;
    for (const p of rs.proposals) {
      const value = p.signed.message.value;
      if (
        !p.valid ||
        !isQuorum(votePower(rs.precommits, value.id, validators), validators.totalPower)
      ) {
        continue;
      }
      const precommits = votesFor(rs.precommits, value.id);
      d.step = "decided";
      d.decision = { round, value };
      d.outputs.push({
        type: "decide",
        height: d.height,
        round,
        value,
        certificate: {
          chainId: d.config.chainId,
          height: d.height,
          round,
          valueId: value.id,
          precommits,
        },
      });
      return true;
    }
  }
  return false;
}

/** Line 55: f+1 of the power is already in a later round, so at least one honest node is. */
function skipRound(d: Draft): boolean {
  let target = -1;
  for (const [round, rs] of d.rounds) {
    if (round > d.round && round > target) {
      if (exceedsOneThird(senderPower(rs, d.config.validators), d.config.validators.totalPower)) {
        target = round;
      }
    }
  }
  if (target < 0) return false;
  startRound(d, target);
  return true;
}

/** Lines 22 and 28: prevote on the round's (first) proposal, respecting the lock. */
function prevoteOnProposal(d: Draft): boolean {
  if (d.step !== "propose") return false;
  const first = d.roundState(d.round).proposals[0];
  if (first === undefined) return false;
  const { value, validRound } = first.signed.message;
  let acceptable: boolean;
  if (validRound < 0) {
    acceptable = d.lockedRound < 0 || d.lockedValue?.id === value.id;
  } else {
    const validators = d.config.validators;
    const prevotes = d.roundState(validRound).prevotes;
    if (!isQuorum(votePower(prevotes, value.id, validators), validators.totalPower)) return false;
    acceptable = d.lockedRound <= validRound || d.lockedValue?.id === value.id;
  }
  d.vote("prevote", first.valid && acceptable ? value.id : null);
  d.step = "prevote";
  return true;
}

/** Line 34. */
function schedulePrevoteTimeout(d: Draft): boolean {
  const rs = d.roundState(d.round);
  const validators = d.config.validators;
  if (d.step !== "prevote" || rs.prevoteTimeoutScheduled) return false;
  if (!isQuorum(votePower(rs.prevotes, ANY, validators), validators.totalPower)) return false;
  d.setRound(d.round, { ...rs, prevoteTimeoutScheduled: true });
  d.scheduleTimeout("prevote");
  return true;
}

/** Line 36: 2f+1 prevotes for the proposed value lock it (in step prevote) and make it valid. */
function lockOnPrevotes(d: Draft): boolean {
  if (d.step !== "prevote" && d.step !== "precommit") return false;
  const rs = d.roundState(d.round);
  if (rs.validValueUpdated) return false;
  const validators = d.config.validators;
  for (const p of rs.proposals) {
    const value = p.signed.message.value;
    if (
      !p.valid ||
      !isQuorum(votePower(rs.prevotes, value.id, validators), validators.totalPower)
    ) {
      continue;
    }
    if (d.step === "prevote") {
      d.lockedValue = value;
      d.lockedRound = d.round;
      d.vote("precommit", value.id);
      d.step = "precommit";
    }
    d.validValue = value;
    d.validRound = d.round;
    d.setRound(d.round, { ...rs, validValueUpdated: true });
    return true;
  }
  return false;
}

/** Line 44. */
function precommitNil(d: Draft): boolean {
  const validators = d.config.validators;
  if (d.step !== "prevote") return false;
  const prevotes = d.roundState(d.round).prevotes;
  if (!isQuorum(votePower(prevotes, null, validators), validators.totalPower)) return false;
  d.vote("precommit", null);
  d.step = "precommit";
  return true;
}

/** Line 47 (in any step of the round). */
function schedulePrecommitTimeout(d: Draft): boolean {
  const rs = d.roundState(d.round);
  const validators = d.config.validators;
  if (rs.precommitTimeoutScheduled) return false;
  if (!isQuorum(votePower(rs.precommits, ANY, validators), validators.totalPower)) return false;
  d.setRound(d.round, { ...rs, precommitTimeoutScheduled: true });
  d.scheduleTimeout("precommit");
  return true;
}
