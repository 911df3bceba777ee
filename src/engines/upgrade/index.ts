export {
  EQUIVOCATION_TOPIC,
  type HaveReply,
  OPERATOR,
  type OperatorCall,
  type PeerCall,
  RELEASE_TOPIC,
  UPGRADE,
  type UpgradeCall,
} from "./messages";
export type { ProcessMemo } from "./processMemo";
export { CLOCK_OFFSET_ENV } from "./releaseClock";
export type { RunningApp, UpgradeStatus } from "./report";
export { upgradeEngine } from "./upgradeEngine";
export { type UpgradeSpecDeps, upgradeSpec } from "./upgradeSpec";
export type { UpgradeArgs } from "./upgradeTypes";
