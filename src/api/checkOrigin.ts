import { ApiError } from "./apiError";
import { quoteHeader } from "./quoteHeader";

/**
 * Whether a request may carry its Origin header. Browsers add Origin to cross-site
 * requests and to every WebSocket handshake; the CLI, curl and Prometheus send none, and a
 * page the node serves itself sends `http://<the Host it was loaded from>`. Anything else is
 * another site's page using the visitor's browser (a WebSocket handshake is not bound by
 * CORS, so this is the stream's only defence against it). `host` is the Host header that
 * checkHost() accepted. Returns the refusal, or undefined.
 */
export function checkOrigin(origin: string | undefined, host: string): ApiError | undefined {
  if (origin === undefined || origin.toLowerCase() === ownOrigin(host)) return undefined;
  const quoted = quoteHeader(origin);
  return new ApiError(
    { code: "API_ORIGIN_REFUSED", origin: quoted },
    `Cannot serve request: the Origin header ${quoted} is not this API's own origin (${ownOrigin(host)}); the control API does not answer pages from other sites`,
  );
}

/** The origin a browser reports for a page loaded from `http://<host>` (":80" dropped). */
function ownOrigin(host: string): string {
  try {
    return new URL(`http://${host}`).origin.toLowerCase();
  } catch {
    return `http://${host.toLowerCase()}`;
  }
}
