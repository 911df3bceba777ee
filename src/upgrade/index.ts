// The boot layer imports only ./manifest and ./store (the persisted state, for its
// floor), so it stays small and never pulls in the swarm fetch or the hot swap.
export { hotSwap, type SwapRecord, type SwapTable, stillRunning } from "./apply/hotSwap";
export { planRelease, type ReleasePlan } from "./apply/planRelease";
export { CHAIN_MODULES, type EngineVersion, planSwap, SWAP_ORDER } from "./apply/swapOrder";
export * from "./binary";
export * from "./limits";
export * from "./manifest";
export { checkRelease, type ReleaseContext, type ReleaseDecision } from "./policy/checkRelease";
export { manifestDigest } from "./policy/manifestDigest";
export { type NextStep, type NextStepInput, nextStep } from "./policy/nextStep";
export { rolloutDelay } from "./policy/rolloutDelay";
export { readUpgradeState, stagingLayout, type UpgradeState, writeUpgradeState } from "./store";
export { ChunkStore } from "./store/chunkStore";
export { pacePeer } from "./swarm/pacePeer";
export {
  capacityOf,
  cleanStanding,
  type Offence,
  penalise,
  reward,
  type Standing,
} from "./swarm/peerStanding";
export {
  type FetchPlanInput,
  type PeerSlot,
  type PlannedFetch,
  planFetches,
} from "./swarm/planFetches";
export { type RefusalCode, UpgradeError, type UpgradeErrorType } from "./upgradeError";
