import type { ConsensusConfig } from "./consensusConfig";
import { ConsensusError } from "./consensusError";
import { type ConsensusState, NO_ROUND } from "./consensusState";
import { MAX_CHAIN_ID_BYTES } from "./limits";
import type { TimeoutKind } from "./timeouts";

const TIMEOUT_KINDS: readonly TimeoutKind[] = ["propose", "prevote", "precommit"];

/** The idle state of one chain; `start(height)` begins consensus. Throws on a bad config. */
export function createConsensusState(config: ConsensusConfig): ConsensusState {
  const bytes = Buffer.byteLength(config.chainId);
  if (bytes === 0 || bytes > MAX_CHAIN_ID_BYTES) throw invalid("chainId");
  for (const kind of TIMEOUT_KINDS) {
    const { baseMs, deltaMs } = config.timeouts[kind];
    if (!(Number.isFinite(baseMs) && baseMs > 0 && Number.isFinite(deltaMs) && deltaMs >= 0)) {
      throw invalid(`timeouts.${kind}`);
    }
  }
  return {
    config,
    height: 0,
    round: 0,
    step: "idle",
    lockedValue: null,
    lockedRound: NO_ROUND,
    validValue: null,
    validRound: NO_ROUND,
    rounds: new Map(),
    nextRounds: new Map(),
    awaitingValue: false,
    reported: new Set(),
    decision: null,
  };
}

function invalid(field: string): ConsensusError {
  return new ConsensusError(
    { code: "CONSENSUS_CONFIG_INVALID", field },
    `Cannot create consensus state: invalid ${field}`,
  );
}
