import { NodeError } from "../errors";

export type BootErrorType =
  | { code: "BOOT_BUNDLE_UNREADABLE"; version: string; reason: string }
  | { code: "BOOT_MANIFEST_REFUSED"; version: string; reason: string }
  | { code: "BOOT_WRONG_VERSION"; version: string; manifestVersion: string }
  | { code: "BOOT_NO_APP_ARTIFACT"; version: string }
  | { code: "BOOT_HOST_API_MISMATCH"; version: string; hostApi: number }
  | { code: "BOOT_SIZE_MISMATCH"; version: string; size: number; expected: number }
  | { code: "BOOT_HASH_MISMATCH"; version: string }
  | { code: "BOOT_EVAL_FAILED"; version: string; reason: string }
  | { code: "BOOT_STATE_INVALID"; file: string; reason: string }
  | { code: "BOOT_TRUST_UNSAFE"; path: string; reason: string };

export class BootError extends NodeError<BootErrorType> {}
