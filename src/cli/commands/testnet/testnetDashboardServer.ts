import { createServer, type Server } from "node:http";
import { screenRequest } from "../../../api";
import { TESTNET_HTML, TESTNET_JS } from "./testnetPage";
import { requireTestnet } from "./testnetState";
import { summarize } from "./testnetSummary";

const HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

/**
 * Serves the testnet view on loopback: the page, its script, and `/api/nodes`, every
 * node's summary asked of its API with the token from its folder (which stays here).
 * Like the node's API it answers loopback Host names and its own origin only, so no
 * other site's page can read the nodes through it.
 */
export function serveTestnetDashboard(dir: string, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const refused = screenRequest(req.headers, host);
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, {
        ...HEADERS,
        "content-type": type,
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    };
    if (refused !== undefined) {
      send(
        421,
        "application/json",
        JSON.stringify({ error: { code: refused.code, message: refused.message } }),
      );
      return;
    }
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET") return send(405, "text/plain", "GET only\n");
    if (path === "/") return send(200, "text/html; charset=utf-8", TESTNET_HTML);
    if (path === "/testnet.js") return send(200, "text/javascript; charset=utf-8", TESTNET_JS);
    if (path === "/api/nodes") {
      requireTestnet(dir)
        .then((state) => Promise.all(state.nodes.map(summarize)))
        .then(
          (nodes) => send(200, "application/json", JSON.stringify({ nodes })),
          (err: unknown) =>
            send(500, "application/json", JSON.stringify({ error: { message: String(err) } })),
        );
      return;
    }
    send(404, "text/plain", "not found\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
