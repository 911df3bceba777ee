// The staging area's layout and persisted state are boot's (it reads the state for its
// floor); the chunk store is the engine's own.
export { readUpgradeState, stagingLayout, type UpgradeState, writeUpgradeState } from "../../boot";
