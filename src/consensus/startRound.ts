import type { Draft } from "./draft";
import { proposerOf } from "./proposerOf";

/**
 * StartRound of Algorithm 1 (lines 11-21). The propose timeout is scheduled for the
 * proposer too (as CometBFT does): if the engine is slow to supply a block, or our own
 * proposal never comes back, the round still ends with a nil prevote instead of stalling.
 */
export function startRound(draft: Draft, round: number): void {
  draft.round = round;
  draft.step = "propose";
  draft.awaitingValue = false;
  draft.scheduleTimeout("propose");
  if (
    !draft.isValidator ||
    proposerOf(draft.config.validators, draft.height, round) !== draft.config.self
  ) {
    return;
  }
  if (draft.validValue !== null) {
    draft.broadcast({
      type: "proposal",
      chainId: draft.config.chainId,
      height: draft.height,
      round,
      value: draft.validValue,
      validRound: draft.validRound,
      proposer: draft.config.self,
    });
  } else {
    draft.awaitingValue = true;
    draft.outputs.push({ type: "requestValue", height: draft.height, round });
  }
}
