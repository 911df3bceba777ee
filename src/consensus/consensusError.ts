import { NodeError } from "../errors";

/** Every error the consensus core raises on purpose; branch on `code`, never on the message. */
export type ConsensusErrorType =
  | { code: "CONSENSUS_VALIDATOR_SET_INVALID"; reason: string }
  | { code: "CONSENSUS_CONFIG_INVALID"; field: string }
  | { code: "CONSENSUS_INPUT_INVALID"; input: string; reason: string };

export type ConsensusErrorCode = ConsensusErrorType["code"];

export class ConsensusError extends NodeError<ConsensusErrorType> {}
