import type { ServerResponse } from "node:http";
import { DASHBOARD_HTML } from "./page";
import { DASHBOARD_JS } from "./script";

const HEADERS = {
  // Only this node's own page, script and API: no inline script, no other site, no frames.
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

function send(res: ServerResponse, type: string, body: string) {
  res.writeHead(200, {
    ...HEADERS,
    "content-type": type,
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
  return { status: 200, body: null };
}

/** The operators' dashboard at `/` (no data in it: see page.ts). */
export function serveDashboard(res: ServerResponse) {
  return send(res, "text/html; charset=utf-8", DASHBOARD_HTML);
}

export function serveDashboardScript(res: ServerResponse) {
  return send(res, "text/javascript; charset=utf-8", DASHBOARD_JS);
}
