import { join } from "node:path";
import { expect } from "vitest";
import { runCli } from "./nodeProcess";
import { freePort } from "./ports";
import { eventually, nodeApi, readTestnetState, type TestnetNodeInfo } from "./testnet";
import { buildRelease, type ReleaseKey } from "./upgradeRelease";

/** The chain `anode testnet up --validators` runs. */
export const CHAIN = "chain-0";

export interface ChainView {
  height: number;
  committedHeight: number;
  halted?: string;
  activation?: { version: string; height: number; state: string };
}
export interface UpgradeView {
  running: string;
  releases: Array<{ version: string; status: string; note?: string }>;
}

export const chainOf = (n: TestnetNodeInfo) => nodeApi<ChainView>(n, "GET", "/v1/chain");
export const upgradeOf = (n: TestnetNodeInfo) =>
  nodeApi<UpgradeView>(n, "GET", "/v1/upgrade/status");
export const rootAt = async (n: TestnetNodeInfo, h: number) =>
  (await nodeApi<{ root: string }>(n, "GET", `/v1/root?at=${h}`)).root;

/** `anode testnet up` of n nodes, the first v validating chain-0, in `dir`/net. */
export async function startChainNet(
  dir: string,
  o: { n: number; validators: number; env: Record<string, string> },
): Promise<{ net: string; nodes: TestnetNodeInfo[] }> {
  const net = join(dir, "net");
  const basePort = await freePort("127.0.0.2");
  const up = await runCli(
    [
      "testnet",
      "up",
      "-n",
      String(o.n),
      "--validators",
      String(o.validators),
      "--degree",
      "3",
      "--dir",
      net,
      "--base-port",
      String(basePort),
    ],
    { env: o.env, timeoutMs: 180_000 },
  );
  if (up.code !== 0) throw new Error(`testnet up failed: ${up.stderr}${up.stdout}`);
  const nodes = readTestnetState(net).nodes;
  await eventually(
    async () => (await chainOf(nodes[0] as TestnetNodeInfo)).committedHeight >= 2,
    60_000,
    "the chain to commit its first blocks",
  );
  return { net, nodes };
}

/**
 * When one node first showed each committed height, polled every `everyMs`: the gaps
 * between blocks as an operator sees them (an activation's pause is the longest gap).
 */
export function watchHeights(n: TestnetNodeInfo, everyMs = 20) {
  const seen = new Map<number, number>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const h = (await chainOf(n)).committedHeight;
        if (!seen.has(h)) seen.set(h, performance.now());
      } catch {
        // The node is restarting (the restart benchmark): the gap grows meanwhile.
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    seen,
    async stop() {
      stopped = true;
      await loop;
    },
    /** Milliseconds between the first sight of height h-1 and of h. */
    gap(h: number): number | undefined {
      const [a, b] = [seen.get(h - 1), seen.get(h)];
      return a === undefined || b === undefined ? undefined : b - a;
    },
    /** The median gap between consecutive heights in [from, to]. */
    medianGap(from: number, to: number): number {
      const gaps: number[] = [];
      for (let h = from + 1; h <= to; h++) {
        const g = this.gap(h);
        if (g !== undefined) gaps.push(g);
      }
      gaps.sort((x, y) => x - y);
      if (gaps.length === 0) throw new Error(`no block gaps seen between ${from} and ${to}`);
      return gaps[Math.floor(gaps.length / 2)] as number;
    },
  };
}

/**
 * A bounded transaction load: one put every `everyMs` to the nodes in turn, at most
 * `max`, until stopped. Returns the ids the nodes acknowledged (each must commit).
 */
export function putLoad(nodes: TestnetNodeInfo[], o: { everyMs: number; max: number }) {
  const acked: string[] = [];
  /** The node that acknowledged each of `acked`, by id. */
  const origin = new Map<string, TestnetNodeInfo>();
  const refused: string[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; i < o.max && !stopped; i++) {
      const n = nodes[i % nodes.length] as TestnetNodeInfo;
      try {
        const r = await nodeApi<{ id?: string; error?: { message: string } }>(n, "POST", "/v1/tx", {
          kind: "kv",
          reads: [],
          writes: [`load-${i}`],
          ops: [{ op: "put", key: `load-${i}`, value: i }],
        });
        if (r.id !== undefined) {
          acked.push(r.id);
          origin.set(r.id, n);
        } else refused.push(r.error?.message ?? JSON.stringify(r));
      } catch (err) {
        refused.push(String(err));
      }
      await new Promise((r) => setTimeout(r, o.everyMs));
    }
  })();
  return {
    acked,
    origin,
    refused,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/**
 * Builds release `version` of the app from the source tree `from`, activated on CHAIN
 * `ahead` heights past what `first` has committed, and publishes it through `first`.
 * Fails if building took so long that the chain is nearly there. Returns the height.
 */
export async function publishActivation(
  dir: string,
  first: TestnetNodeInfo,
  o: {
    key: ReleaseKey;
    env: Record<string, string>;
    from: string;
    version: string;
    ahead?: number;
  },
): Promise<number> {
  const H = (await chainOf(first)).committedHeight + (o.ahead ?? 24);
  const manifest = await buildRelease(dir, {
    version: o.version,
    fixture: "app",
    key: o.key,
    from: o.from,
    extra: ["--activate", `${CHAIN}@${H}`],
  });
  expect((await chainOf(first)).committedHeight, "the release was built too late").toBeLessThan(
    H - 4,
  );
  const published = await runCli(
    ["--config", `${first.dir}/config.json`, "release", "publish", manifest],
    { env: o.env },
  );
  expect(published.code, published.stderr).toBe(0);
  return H;
}
