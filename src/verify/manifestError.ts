import { NodeError } from "../errors";

export type ManifestErrorType =
  | { code: "MANIFEST_INVALID"; reason: string }
  | { code: "MANIFEST_TOO_LARGE"; size: number; limit: number }
  | { code: "MANIFEST_BAD_SIGNATURE"; keyId: string }
  | { code: "MANIFEST_UNKNOWN_KEY"; keyIds: string[] }
  | { code: "MANIFEST_TOO_FEW_SIGNATURES"; valid: number; threshold: number }
  | { code: "MANIFEST_EXPIRED"; expiresAt: string }
  | { code: "MANIFEST_TOO_LONG_LIVED"; createdAt: string; expiresAt: string }
  | { code: "MANIFEST_TRUST_INVALID"; reason: string };

export type ManifestErrorCode = ManifestErrorType["code"];

export class ManifestError extends NodeError<ManifestErrorType> {}
