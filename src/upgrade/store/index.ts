// What boot reads of the upgrade engine's staging area (its persisted state) without
// pulling in the rest of the engine's store.
export { stagingLayout } from "./stagingLayout";
export { readUpgradeState, type UpgradeState, writeUpgradeState } from "./upgradeState";
