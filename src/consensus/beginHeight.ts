import { ConsensusError } from "./consensusError";
import { NO_ROUND } from "./consensusState";
import type { Draft } from "./draft";

/**
 * Lines 10 and 54 up to StartRound: a fresh height, with no lock and no valid value,
 * keeping what was buffered for it. Shared by `start` and `restoreHeight`.
 */
export function beginHeight(d: Draft, height: number, input: string): void {
  if (!Number.isSafeInteger(height) || height < 0 || (d.step !== "idle" && height <= d.height)) {
    throw new ConsensusError(
      { code: "CONSENSUS_INPUT_INVALID", input, reason: "height not after current" },
      `Cannot start height ${height}: the state is at height ${d.height} (${d.step})`,
    );
  }
  d.rounds = d.step !== "idle" && height === d.height + 1 ? d.nextRounds : new Map();
  d.nextRounds = new Map();
  d.height = height;
  d.lockedValue = null;
  d.lockedRound = NO_ROUND;
  d.validValue = null;
  d.validRound = NO_ROUND;
  d.decision = null;
  d.reported = new Set([...d.reported].filter((key) => Number(key.split("/")[0]) >= height));
}
