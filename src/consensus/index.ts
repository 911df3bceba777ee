// The consensus core's public surface: nothing outside src/consensus imports any other file here.
export type { CommitCertificate } from "./certificate";
export type { ChainSpec } from "./chainSpec";
export { checkMessage } from "./checkMessage";
export type { ConsensusConfig } from "./consensusConfig";
export { ConsensusError, type ConsensusErrorCode, type ConsensusErrorType } from "./consensusError";
export type { ConsensusState, RoundState, Step, StoredProposal } from "./consensusState";
export { createConsensusState } from "./createConsensusState";
export type { Equivocation } from "./evidence";
export type {
  ConsensusInput,
  MessageInput,
  ProposalValueInput,
  StartInput,
  TimeoutInput,
} from "./inputs";
export * from "./limits";
export {
  type ConsensusMessage,
  type MessageType,
  type Proposal,
  type Signed,
  type SignedProposal,
  type SignedVote,
  signerOf,
  type Vote,
  type VoteType,
} from "./messages";
export type {
  BroadcastOutput,
  ConsensusOutput,
  DecideOutput,
  EvidenceOutput,
  RequestValueOutput,
  ScheduleTimeoutOutput,
} from "./outputs";
export { proposerOf } from "./proposerOf";
export { exceedsOneThird, isQuorum } from "./quorum";
export { restoreHeight } from "./restoreHeight";
export { MAX_SAVED_MESSAGES, type SavedState, savedState } from "./savedState";
export { ed25519Verifier, type SignatureVerifier } from "./signatureVerifier";
export { CONSENSUS_DOMAIN_TAG, signBytes } from "./signBytes";
export { comparePositions, type SignVerdict, signVerdict } from "./signVerdict";
export { type StepResult, step } from "./step";
export {
  defaultTimeoutOptions,
  type TimeoutGrowth,
  type TimeoutKind,
  type TimeoutOptions,
  timeoutDuration,
} from "./timeouts";
export {
  applyChange,
  changeSigningBytes,
  parseChange,
  type ValidatorChange,
} from "./validatorChange";
export {
  encodeSchedule,
  entriesOf,
  MAX_SCHEDULE_BYTES,
  parseSchedule,
  VALIDATOR_CHANGE_DELAY,
  type ValidatorEntry,
  type ValidatorSchedule,
  validatorsAt,
} from "./validatorSchedule";
export { createValidatorSet, type Validator, type ValidatorSet } from "./validatorSet";
export type { ConsensusValue, ValueId } from "./values";
export {
  type CertificateExpectation,
  type CertificateFault,
  type CertificateVerdict,
  verifyCertificate,
} from "./verifyCertificate";
export {
  type MessageFault,
  type MessageVerdict,
  type VerifyOptions,
  verifyMessage,
} from "./verifyMessage";
export {
  addPeer,
  createVoteSync,
  type HeldMessage,
  heldMessage,
  MAX_SYNC_KEYS,
  MAX_SYNC_ROUNDS,
  MAX_SYNC_VALUES,
  messageKey,
  needsCommit,
  noteHeld,
  type OwnView,
  onFrame,
  ownView,
  type PeerSync,
  planFrame,
  type RoundBits,
  removePeer,
  type SyncFrame,
  type SyncOptions,
  type SyncStatus,
  type VoteBits,
  type VoteSync,
} from "./voteSync";
