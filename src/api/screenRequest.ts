import type { IncomingHttpHeaders } from "node:http";
import type { ApiError } from "./apiError";
import { checkHost } from "./checkHost";
import { checkOrigin } from "./checkOrigin";

/**
 * The front door of every HTTP request and WebSocket upgrade, before the token is even
 * read: the Host must name loopback and an Origin, if sent, must be the API's own. `bound`
 * is the address the API listens on. Returns the refusal, or undefined.
 */
export function screenRequest(headers: IncomingHttpHeaders, bound: string): ApiError | undefined {
  const hostRefused = checkHost(headers.host, bound);
  if (hostRefused !== undefined) return hostRefused;
  return checkOrigin(headers.origin, headers.host ?? "");
}
