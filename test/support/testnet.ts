import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface TestnetNodeInfo {
  index: number;
  id: string;
  host: string;
  apiPort: number;
  dir: string;
  pid: number | null;
  neighbours: string[];
}

export function readTestnetState(dir: string): { nodes: TestnetNodeInfo[] } {
  return JSON.parse(readFileSync(join(dir, "testnet.json"), "utf8")) as {
    nodes: TestnetNodeInfo[];
  };
}

/** Calls one testnet node's API with its own token. */
export async function nodeApi<T = Record<string, unknown>>(
  node: TestnetNodeInfo,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const token = readFileSync(join(node.dir, "api.token"), "utf8").trim();
  const res = await fetch(`http://${node.host}:${node.apiPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await res.json()) as T;
}

/** Polls until `check` holds, failing with `what` after `ms`. */
export async function eventually(
  check: () => Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function killPids(pids: Array<number | null>): void {
  for (const pid of pids) {
    if (pid === null) continue;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

export function alive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
