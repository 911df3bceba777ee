import { applyRules } from "./applyRules";
import { beginHeight } from "./beginHeight";
import { checkMessage } from "./checkMessage";
import { ConsensusError } from "./consensusError";
import { type ConsensusState, NO_ROUND } from "./consensusState";
import { Draft } from "./draft";
import type { ConsensusInput, ProposalValueInput, TimeoutInput } from "./inputs";
import { MAX_ROUND } from "./limits";
import type { Proposal } from "./messages";
import type { ConsensusOutput } from "./outputs";
import { recordMessage } from "./recordMessage";
import { startRound } from "./startRound";

export interface StepResult {
  readonly state: ConsensusState;
  /** To carry out in order. */
  readonly outputs: readonly ConsensusOutput[];
}

/**
 * The consensus state machine: one input in, the next state and the actions it asks for
 * out. Pure: no I/O, no clock, no randomness, no signing, and `state` is not modified;
 * the same inputs in the same order always give the same outputs. Throws ConsensusError
 * only on engine misuse (a `start` that goes backwards, a malformed proposal value).
 */
export function step(state: ConsensusState, input: ConsensusInput): StepResult {
  const draft = new Draft(state);
  switch (input.type) {
    case "start":
      start(draft, input.height);
      break;
    case "proposalValue":
      propose(draft, input);
      break;
    case "message":
      recordMessage(draft, input.signed, input.valid ?? true);
      break;
    case "timeout":
      onTimeout(draft, input);
      break;
  }
  applyRules(draft);
  return { state: draft.freeze(), outputs: draft.outputs };
}

/** Upon start / after a decision (lines 10 and 54): a fresh height, keeping what was buffered for it. */
function start(d: Draft, height: number): void {
  beginHeight(d, height, "start");
  startRound(d, 0);
}

/** The engine's block for our turn as proposer (line 19: broadcast the proposal). */
function propose(d: Draft, input: ProposalValueInput): void {
  if (!d.awaitingValue || input.height !== d.height || input.round !== d.round) return;
  if (d.step !== "propose") return;
  const proposal: Proposal = {
    type: "proposal",
    chainId: d.config.chainId,
    height: d.height,
    round: d.round,
    value: input.value,
    validRound: NO_ROUND,
    proposer: d.config.self,
  };
  if (!checkMessage(proposal)) {
    throw new ConsensusError(
      { code: "CONSENSUS_INPUT_INVALID", input: "proposalValue", reason: "bad value id" },
      "Cannot propose: the value id must be a non-empty string within the size limit",
    );
  }
  d.awaitingValue = false;
  d.broadcast(proposal);
}

/** OnTimeoutPropose, OnTimeoutPrevote, OnTimeoutPrecommit (lines 57-65). */
function onTimeout(d: Draft, input: TimeoutInput): void {
  if (input.height !== d.height || input.round !== d.round) return;
  switch (input.kind) {
    case "propose":
      if (d.step !== "propose") return;
      d.vote("prevote", null);
      d.step = "prevote";
      return;
    case "prevote":
      if (d.step !== "prevote") return;
      d.vote("precommit", null);
      d.step = "precommit";
      return;
    case "precommit":
      if (d.step === "idle" || d.step === "decided" || d.round >= MAX_ROUND) return;
      startRound(d, d.round + 1);
      return;
  }
}
