import { applyRules } from "./applyRules";
import { beginHeight } from "./beginHeight";
import { checkMessage } from "./checkMessage";
import { ConsensusError } from "./consensusError";
import { type ConsensusState, NO_ROUND, type Step } from "./consensusState";
import { Draft } from "./draft";
import { signerOf } from "./messages";
import { recordMessage } from "./recordMessage";
import type { SavedState } from "./savedState";
import { comparePositions } from "./signVerdict";
import type { StepResult } from "./step";
import type { ConsensusValue } from "./values";

const STEP_AFTER: Record<SavedState["last"]["message"]["type"], Step> = {
  proposal: "propose",
  prevote: "prevote",
  precommit: "precommit",
};

/**
 * A validator back from a crash takes up the height it last signed at from its saved
 * state, instead of `start`: at the round it had reached, in the step after its last
 * signature (so it never says anything at or before it again), with its lock and valid
 * value, and with its own messages of the height and the valid value's proof counted
 * again. From there the upon-rules go on as
 * if it had never stopped. The timeouts it had scheduled are gone, and so are the messages
 * it had received (a validator that precommitted keeps its precommit, not its prevote):
 * if its peers restarted too, nobody may ever see the 2f+1 messages that schedule a
 * timeout (lines 34, 47). So the timeout of the step it comes back in is scheduled at
 * once; timeouts only ever lead to nil votes and later rounds, never to an unsafe vote.
 * Throws ConsensusError on a saved state this node could not have written.
 */
export function restoreHeight(state: ConsensusState, saved: SavedState): StepResult {
  const m = saved.last.message;
  const fault = faultOf(state, saved);
  if (fault !== undefined) {
    throw new ConsensusError(
      { code: "CONSENSUS_INPUT_INVALID", input: "restore", reason: fault },
      `Cannot restore height ${m.height}: ${fault}`,
    );
  }
  const d = new Draft(state);
  beginHeight(d, m.height, "restore");
  d.round = m.round;
  d.step = STEP_AFTER[m.type];
  d.awaitingValue = false;
  d.lockedRound = saved.lockedRound;
  d.lockedValue = saved.lockedValue;
  d.validRound = saved.validRound;
  d.validValue = saved.validValue;
  for (const own of saved.earlier) recordMessage(d, own, true);
  recordMessage(d, saved.last, true);
  for (const prevote of saved.validProof) recordMessage(d, prevote, true);
  const rs = d.roundState(d.round);
  if (d.step === "prevote") d.setRound(d.round, { ...rs, prevoteTimeoutScheduled: true });
  if (d.step === "precommit") d.setRound(d.round, { ...rs, precommitTimeoutScheduled: true });
  d.scheduleTimeout(
    d.step === "propose" ? "propose" : d.step === "prevote" ? "prevote" : "precommit",
  );
  applyRules(d);
  return { state: d.freeze(), outputs: d.outputs };
}

function faultOf(state: ConsensusState, saved: SavedState): string | undefined {
  const m = saved.last.message;
  if (!checkMessage(m)) return "the saved message is malformed";
  if (m.chainId !== state.config.chainId) return `the saved message is for chain ${m.chainId}`;
  if (signerOf(m) !== state.config.self) return "the saved message was signed by another node";
  const ordered = saved.earlier.every(
    (e) =>
      checkMessage(e.message) &&
      signerOf(e.message) === state.config.self &&
      e.message.height === m.height &&
      comparePositions(e.message, m) < 0,
  );
  if (!ordered)
    return "an earlier saved message is not this node's, before the last, at its height";
  const lock = roundFault("locked", saved.lockedRound, saved.lockedValue, m.round);
  if (lock !== undefined) return lock;
  const valid = roundFault("valid", saved.validRound, saved.validValue, m.round);
  if (valid !== undefined) return valid;
  // Line 36 sets both; the valid round only moves up from there.
  if (saved.validRound < saved.lockedRound) return "the valid round is before the locked round";
  const proof = saved.validProof.every(
    (p) =>
      p.message.type === "prevote" &&
      p.message.height === m.height &&
      p.message.round === saved.validRound &&
      p.message.valueId === saved.validValue?.id,
  );
  if (!proof) return "the valid value's proof holds another vote";
  return undefined;
}

function roundFault(
  what: string,
  round: number,
  value: ConsensusValue | null,
  reached: number,
): string | undefined {
  if (!Number.isInteger(round) || round < NO_ROUND || round > reached) {
    return `the ${what} round ${round} is not in [-1, ${reached}]`;
  }
  if ((round === NO_ROUND) !== (value === null)) {
    return `the ${what} value and round disagree`;
  }
  if (value !== null && (typeof value.id !== "string" || value.id.length === 0)) {
    return `the ${what} value has no id`;
  }
  return undefined;
}
