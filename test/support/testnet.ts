import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { isAlive } from "../../src/cli/commands/testnet/processes";
import { runCli } from "./nodeProcess";
import { freePort } from "./ports";
import { tempDir } from "./tempDir";

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

/**
 * Calls one testnet node's API with its own token, giving up after 10 s, or 10 s more
 * than the `wait=<ms>` the path asks the node to wait for.
 */
export async function nodeApi<T = Record<string, unknown>>(
  node: TestnetNodeInfo,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const token = readFileSync(join(node.dir, "api.token"), "utf8").trim();
  const wait = Number(/[?&]wait=(\d+)/.exec(path)?.[1] ?? 0);
  const res = await fetch(`http://${node.host}:${node.apiPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000 + wait),
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

/** Whether the process runs (a zombie, killed but not reaped yet, does not). */
export function alive(pid: number | null): boolean {
  return isAlive(pid);
}

export interface TestnetFixture {
  /** The temporary folder; the testnet lives in `net` below it. */
  readonly dir: string;
  readonly net: string;
  /** The environment the nodes were started with (and CLI calls should use). */
  env(): Record<string, string>;
  /** The nodes as last read from testnet.json. */
  nodes(): TestnetNodeInfo[];
  /** Re-reads testnet.json (after `testnet up` restarted some nodes). */
  refresh(): TestnetNodeInfo[];
  /** Runs the CLI against one node (its config file), with the testnet's environment. */
  cli(node: TestnetNodeInfo, args: string[], timeoutMs?: number): ReturnType<typeof runCli>;
}

/**
 * A temporary folder for a testnet the test brings up itself (in `net` below it): afterAll
 * takes the testnet down, kills every process it knows of whatever happened, and removes
 * the folder.
 */
export function useTestnetDir(prefix: string): { dir: string; net: string } {
  const dir = tempDir(prefix);
  const net = join(dir.path, "net");
  afterAll(async () => {
    await runCli(["testnet", "down", "--dir", net], { timeoutMs: 60_000 });
    try {
      killPids(readTestnetState(net).nodes.map((n) => n.pid));
    } catch {
      // never came up
    }
    dir.remove();
  });
  return { dir: dir.path, net };
}

/** `anode testnet up -n <nodes> <args>` in `net` on a free base port; fails unless it exits 0. */
async function testnetUp(
  net: string,
  nodes: number,
  args: string[] = [],
  o: { env?: Record<string, string>; timeoutMs: number },
): Promise<TestnetNodeInfo[]> {
  const basePort = String(await freePort("127.0.0.2"));
  const cmd = ["testnet", "up", "-n", String(nodes), ...args, "--dir", net];
  const up = await runCli([...cmd, "--base-port", basePort], o);
  expect(up.code, up.stderr + up.stdout).toBe(0);
  return readTestnetState(net).nodes;
}

/**
 * A testnet brought up in beforeAll (`anode testnet up -n <nodes> <args>`) and torn down in
 * afterAll, with every process it started killed and its folder removed whatever happened.
 * `env` may make files in the folder first (a release key) and returns the nodes' environment.
 */
export function useTestnet(o: {
  prefix: string;
  nodes: number;
  args?: string[];
  env?: (dir: string) => Record<string, string>;
}): TestnetFixture {
  const { dir, net } = useTestnetDir(o.prefix);
  let env: Record<string, string> = {};
  let nodes: TestnetNodeInfo[] = [];
  beforeAll(async () => {
    env = o.env?.(dir) ?? {};
    nodes = await testnetUp(net, o.nodes, o.args, { env, timeoutMs: 120_000 });
  }, 180_000);
  return {
    dir,
    net,
    env: () => env,
    nodes: () => nodes,
    refresh: () => {
      nodes = readTestnetState(net).nodes;
      return nodes;
    },
    cli: (node, args, timeoutMs = 30_000) =>
      runCli(["--config", `${node.dir}/config.json`, ...args], { env, timeoutMs }),
  };
}

/**
 * Runs `run` on a testnet brought up for it alone (`anode testnet up -n <nodes> <args>` in a
 * temporary folder), then takes it down, kills whatever is left and removes the folder.
 */
export async function withTestnet<T>(
  o: { prefix: string; nodes: number; args?: string[]; timeoutMs?: number },
  run: (nodes: TestnetNodeInfo[], net: string) => Promise<T>,
): Promise<T> {
  const dir = tempDir(o.prefix);
  try {
    const nodes = await testnetUp(dir.path, o.nodes, o.args, {
      timeoutMs: o.timeoutMs ?? 120_000,
    });
    return await run(nodes, dir.path);
  } finally {
    await runCli(["testnet", "down", "--dir", dir.path], { timeoutMs: o.timeoutMs ?? 120_000 });
    try {
      killPids(readTestnetState(dir.path).nodes.map((n) => n.pid));
    } catch {
      // never came up
    }
    dir.remove();
  }
}
