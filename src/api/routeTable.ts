import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiDeps } from "./apiDeps";

export type Reply = { status: number; body: unknown };

/** What a route's handler is given: the request, its parsed URL and path parameters. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** `:name` segments of the route's path, percent-decoded. */
  params: Readonly<Record<string, string>>;
  deps: ApiDeps;
}

export interface Route {
  method: "GET" | "POST" | "PUT";
  /** Literal segments and `:name` parameters, e.g. `/v1/state/:key/history`. */
  path: string;
  handler(ctx: RouteContext): Promise<Reply>;
}

export type RouteMatch =
  | { route: Route; params: Record<string, string> }
  | { allowed: string[] }
  | undefined;

/**
 * The route for a request: the first whose method and path fit; else the methods the
 * path has (so the caller answers 405 with them), else undefined (404). A parameter
 * matches one non-empty segment; a segment that does not percent-decode matches nothing.
 */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const segments = path.split("/");
  const allowed = new Set<string>();
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (params === undefined) continue;
    if (route.method === method) return { route, params };
    allowed.add(route.method);
  }
  return allowed.size > 0 ? { allowed: [...allowed] } : undefined;
}

function matchPath(
  pattern: string,
  segments: readonly string[],
): Record<string, string> | undefined {
  const parts = pattern.split("/");
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith(":")) {
      if (segment === "") return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}
