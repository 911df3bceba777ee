import { NodeError } from "../errors";

export type ApiErrorType =
  | { code: "API_UNAUTHORIZED" }
  | { code: "API_NOT_FOUND"; path: string }
  | { code: "API_METHOD_NOT_ALLOWED"; method: string; allowed: string[] }
  | { code: "API_BAD_REQUEST"; reason: string }
  | { code: "API_BODY_TOO_LARGE"; limit: number }
  | { code: "API_PORT_IN_USE"; host: string; port: number }
  /** `host`/`origin`: the refused header, clipped and quoted (quoteHeader). */
  | { code: "API_HOST_REFUSED"; host: string }
  | { code: "API_ORIGIN_REFUSED"; origin: string };

export class ApiError extends NodeError<ApiErrorType> {}

/** HTTP status for an error raised anywhere in the node. */
export function httpStatusOf(code: string): number {
  if (code === "API_UNAUTHORIZED") return 401;
  if (code === "API_ORIGIN_REFUSED") return 403;
  // Misdirected Request: the Host names a server this one is not.
  if (code === "API_HOST_REFUSED") return 421;
  if (code === "API_NOT_FOUND" || code === "UPGRADE_UNKNOWN_RELEASE") return 404;
  if (code === "API_METHOD_NOT_ALLOWED") return 405;
  // A refused or failed release: the request was fine, the release is not.
  if (code.startsWith("UPGRADE_")) return 409;
  if (code === "API_BODY_TOO_LARGE" || code === "TX_TOO_LARGE") return 413;
  if (code === "MEMPOOL_FULL") return 503;
  if (code === "STORAGE_READ_TIMEOUT" || code === "CALL_TIMEOUT") return 504;
  if (
    code.startsWith("API_") ||
    code.startsWith("TX_") ||
    code.startsWith("MEMPOOL_") ||
    code === "STORAGE_BAD_KEY"
  ) {
    return 400;
  }
  return 500;
}
