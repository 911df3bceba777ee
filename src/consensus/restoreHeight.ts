import { applyRules } from "./applyRules";
import { beginHeight } from "./beginHeight";
import { checkMessage } from "./checkMessage";
import { ConsensusError } from "./consensusError";
import { type ConsensusState, NO_ROUND, type Step } from "./consensusState";
import { Draft } from "./draft";
import { signerOf } from "./messages";
import { recordMessage } from "./recordMessage";
import type { SavedState } from "./savedState";
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
 * value, and with its own last message counted again. From there the upon-rules go on as
 * if it had never stopped; the timeouts it had scheduled are gone, so the propose timeout
 * is scheduled when it comes back before prevoting, and the later steps end on the 2f+1
 * messages (lines 34, 44, 47) or a round skip, as after any message loss.
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
  if (d.step === "propose") d.scheduleTimeout("propose");
  recordMessage(d, saved.last, true);
  applyRules(d);
  return { state: d.freeze(), outputs: d.outputs };
}

function faultOf(state: ConsensusState, saved: SavedState): string | undefined {
  const m = saved.last.message;
  if (!checkMessage(m)) return "the saved message is malformed";
  if (m.chainId !== state.config.chainId) return `the saved message is for chain ${m.chainId}`;
  if (signerOf(m) !== state.config.self) return "the saved message was signed by another node";
  const lock = roundFault("locked", saved.lockedRound, saved.lockedValue, m.round);
  if (lock !== undefined) return lock;
  const valid = roundFault("valid", saved.validRound, saved.validValue, m.round);
  if (valid !== undefined) return valid;
  // Line 36 sets both; the valid round only moves up from there.
  if (saved.validRound < saved.lockedRound) return "the valid round is before the locked round";
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
