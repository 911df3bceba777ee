import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultNodeOptions, type NodeOptions } from "../../src/config";
import { nullLogger } from "../../src/logging";
import { AnodeNode } from "../../src/node";
import { freePort } from "./ports";

export interface TestNodeOverrides {
  blockIntervalMs?: number;
  maxBlockTxs?: number;
}

/** Options for an in-process node on a free port in `dataDir`. */
export async function testOptions(
  dataDir: string,
  o: TestNodeOverrides = {},
): Promise<NodeOptions> {
  const port = await freePort();
  const p2pPort = await freePort();
  return {
    ...defaultNodeOptions,
    dataDir,
    api: { ...defaultNodeOptions.api, port },
    p2p: { listen: `127.0.0.1:${p2pPort}`, peers: [] },
    node: {
      ...defaultNodeOptions.node,
      blockIntervalMs: o.blockIntervalMs ?? 20,
      maxBlockTxs: o.maxBlockTxs ?? defaultNodeOptions.node.maxBlockTxs,
    },
  };
}

export async function startTestNode(
  dataDir: string,
  o: TestNodeOverrides = {},
): Promise<AnodeNode> {
  return AnodeNode.create(await testOptions(dataDir, o), { log: nullLogger });
}

/** A tiny client of the control API for tests. */
export function apiClient(node: { options: NodeOptions }) {
  const base = `http://127.0.0.1:${node.options.api.port}`;
  const token = readFileSync(join(node.options.dataDir, "api.token"), "utf8").trim();
  const request = async (method: string, path: string, body?: unknown, auth = token) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { base, token, request };
}
