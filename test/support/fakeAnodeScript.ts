import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * How a fake `anode start` behaves: "serve" answers the control API like a peered node,
 * "silent" runs but never answers, "dies" exits at once.
 */
export type FakeAnodeMode = "serve" | "silent" | "dies";

/**
 * Writes a tiny CommonJS stand-in for `anode --config <file> start` and returns its path.
 * `testnet up` spawns "this same anode" (process.argv[1] when it is a script), so a test
 * that points argv[1] here gets real detached processes without booting real nodes. In
 * "serve" mode it writes api.token beside its config and answers /v1/peers with its
 * neighbours from testnet.json and /v1/status with height 3.
 */
export function writeFakeAnode(dir: string, mode: FakeAnodeMode): string {
  const file = join(dir, `fake-anode-${mode}.cjs`);
  const serve = `
const fs = require("node:fs");
const path = require("node:path");
const http = require("node:http");
const config = process.argv[process.argv.indexOf("--config") + 1];
const nodeDir = path.dirname(config);
const cfg = JSON.parse(fs.readFileSync(config, "utf8"));
fs.writeFileSync(path.join(nodeDir, "api.token"), "fake-token\\n");
const neighbours = () => {
  const state = JSON.parse(fs.readFileSync(path.join(nodeDir, "..", "testnet.json"), "utf8"));
  const me = state.nodes.find((n) => path.resolve(n.config) === path.resolve(config));
  return me ? me.neighbours : [];
};
http.createServer((req, res) => {
  if (req.headers.authorization !== "Bearer fake-token") { res.writeHead(401); res.end("{}"); return; }
  let body;
  try {
    if (req.url === "/v1/peers") body = { peers: neighbours().map((id) => ({ id })) };
    else if (req.url === "/v1/status") body = { storage: { height: 3 } };
  } catch { body = undefined; }
  res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
  res.end(JSON.stringify(body ?? {}));
}).listen(cfg.api.port, cfg.api.host);
`;
  const code =
    mode === "serve"
      ? serve
      : mode === "silent"
        ? "setInterval(() => {}, 1000);\n"
        : "process.exit(3);\n";
  writeFileSync(file, code);
  return file;
}
