import { NodeError } from "../errors";

/** Why a release was refused or failed; each code is one clear operator-facing reason. */
export type UpgradeErrorType =
  | { code: "UPGRADE_REFUSED"; version: string; reason: RefusalCode }
  | { code: "UPGRADE_UNKNOWN_RELEASE"; version: string }
  | { code: "UPGRADE_NOT_READY"; version: string; reason: string }
  | { code: "UPGRADE_ARTIFACT_MISMATCH"; version: string; artifact: string; reason: string }
  | { code: "UPGRADE_SWAP_FAILED"; version: string; reason: string }
  | { code: "UPGRADE_NEEDS_BINARY_RELEASE"; version: string; engines: string[] }
  | { code: "UPGRADE_BAD_INSTRUCTION"; version: string; engine: string }
  | { code: "UPGRADE_NOTHING_TO_ROLL_BACK" }
  | { code: "UPGRADE_NOT_LIFTABLE"; version: string; reason: string }
  | { code: "UPGRADE_BINARY_FAILED"; reason: string };

/** Every reason a manifest can be refused, before a byte of its artifacts is fetched. */
export type RefusalCode =
  | "MANIFEST_INVALID"
  | "MANIFEST_TOO_LARGE"
  | "MANIFEST_BAD_SIGNATURE"
  | "MANIFEST_UNKNOWN_KEY"
  | "MANIFEST_TOO_FEW_SIGNATURES"
  | "MANIFEST_EXPIRED"
  | "MANIFEST_FROM_FUTURE"
  | "MANIFEST_TOO_LONG_LIVED"
  | "MANIFEST_TRUST_INVALID"
  | "EQUIVOCATION"
  | "MARKED_BAD"
  | "NOT_NEWER"
  | "WRONG_CHANNEL"
  | "WRONG_PLATFORM"
  | "TOO_LARGE"
  | "HOST_API_MISMATCH"
  /** An app-only release built against other binary-layer code than this node's binary. */
  | "NEEDS_BINARY";

export class UpgradeError extends NodeError<UpgradeErrorType> {}
