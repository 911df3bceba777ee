import type { IncomingMessage, ServerResponse } from "node:http";
import { NodeError } from "../errors";
import type { ApiDeps } from "./apiDeps";
import { ApiError, httpStatusOf } from "./apiError";
import { tokenMatches } from "./apiToken";
import { serveDashboard, serveDashboardScript } from "./dashboard";
import { gossipRoutes } from "./gossipRoutes";
import { nodeRoutes } from "./nodeRoutes";
import { matchRoute, type Reply, type Route } from "./routeTable";
import { stateRoutes } from "./stateRoutes";
import { txRoutes } from "./txRoutes";
import { upgradeRoutes } from "./upgradeRoutes";

/** Every endpoint of the control API behind the token; each file lists its own. */
export const ROUTES: readonly Route[] = [
  ...nodeRoutes,
  ...txRoutes,
  ...stateRoutes,
  ...gossipRoutes,
  ...upgradeRoutes,
  {
    method: "GET",
    path: "/metrics",
    async handler({ res, deps }) {
      const text = await deps.metrics.metrics();
      res.writeHead(200, { "content-type": deps.metrics.contentType });
      res.end(text);
      return { status: 200, body: null };
    },
  },
];

/** Serves one HTTP request of the control API. Every error becomes a JSON body with a code. */
export async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiDeps,
): Promise<void> {
  let reply: Reply;
  try {
    reply = await route(req, res, deps);
    if (res.headersSent) return;
  } catch (err) {
    reply = errorReply(err);
  }
  sendReply(res, reply);
}

async function route(req: IncomingMessage, res: ServerResponse, deps: ApiDeps): Promise<Reply> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = req.method ?? "GET";
  if (url.pathname === "/healthz") return { status: 200, body: { ok: true } };
  // The dashboard's page holds no data: it asks for the token and sends it with each call.
  if (url.pathname === "/" && method === "GET") return serveDashboard(res);
  if (url.pathname === "/dashboard.js" && method === "GET") return serveDashboardScript(res);
  // Everything else names the node's engines, versions, peers and load: it needs the
  // token (Prometheus sends it from `authorization: { credentials_file: <data dir>/api.token }`).
  authorize(req, deps);
  const match = matchRoute(ROUTES, method, url.pathname);
  if (match === undefined) {
    throw new ApiError(
      { code: "API_NOT_FOUND", path: url.pathname },
      `Cannot serve ${method} ${url.pathname}: no such endpoint`,
    );
  }
  if ("allowed" in match) {
    res.setHeader("allow", match.allowed.join(", "));
    throw new ApiError(
      { code: "API_METHOD_NOT_ALLOWED", method, allowed: match.allowed },
      `Cannot serve ${method} ${url.pathname}: it takes ${match.allowed.join(" or ")}`,
    );
  }
  return match.route.handler({ req, res, url, params: match.params, deps });
}

/** Writes a reply as JSON. */
export function sendReply(res: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export function errorReply(err: unknown): Reply {
  if (err instanceof NodeError) {
    return {
      status: httpStatusOf(err.code),
      body: { error: { code: err.code, message: err.message } },
    };
  }
  return {
    status: 500,
    body: {
      error: { code: "INTERNAL", message: err instanceof Error ? err.message : String(err) },
    },
  };
}

/** Subprotocol a browser's WebSocket offers with the token (it cannot set headers). */
export const TOKEN_PROTOCOL_PREFIX = "anode.bearer.";
/** Subprotocol the API answers with when a page offered its token that way. */
export const EVENTS_PROTOCOL = "anode.events.v1";

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith("Bearer ")) return h.slice(7).trim();
  // A browser's WebSocket sends the token as a subprotocol, as Kubernetes' API does.
  const offered = req.headers["sec-websocket-protocol"];
  if (typeof offered !== "string" || req.headers.upgrade?.toLowerCase() !== "websocket")
    return undefined;
  const token = offered
    .split(",")
    .map((p) => p.trim())
    .find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return token?.slice(TOKEN_PROTOCOL_PREFIX.length);
}

export function authorize(req: IncomingMessage, deps: ApiDeps): void {
  if (!tokenMatches(bearer(req), deps.token)) {
    throw new ApiError(
      { code: "API_UNAUTHORIZED" },
      "Cannot serve request: missing or wrong API token (send Authorization: Bearer <token from the data directory's api.token>)",
    );
  }
}
