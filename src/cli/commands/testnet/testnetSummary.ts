import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestnetNode } from "./testnetState";

/** One node of a testnet as its dashboard shows it; `error` when it does not answer. */
export interface NodeSummary {
  index: number;
  id: string;
  api: string;
  error?: string;
  version?: string;
  height?: number;
  peers?: number;
  chain?: { height: number; round: number; halted?: string };
  upgrade?: {
    running: string;
    releases: Array<{ version: string; status: string; percent: number }>;
  };
}

const TIMEOUT_MS = 3_000;

/** Asks one node's API (with its token from its folder) what the testnet view shows. */
export async function summarize(node: TestnetNode): Promise<NodeSummary> {
  const base = `http://${node.host}:${node.apiPort}`;
  const summary: NodeSummary = { index: node.index, id: node.id, api: base };
  try {
    const token = (await readFile(join(node.dir, "api.token"), "utf8")).trim();
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const [status, peers, chain, upgrade] = await Promise.all([
      get("/v1/status"),
      get("/v1/peers"),
      get("/v1/chain"),
      get("/v1/upgrade/status"),
    ]);
    const s = status.body as {
      version: string;
      storage?: { height: number };
      app?: { version: string };
    };
    summary.version = s.app?.version ?? s.version;
    summary.height = s.storage?.height ?? 0;
    summary.peers = ((peers.body as { peers?: unknown[] }).peers ?? []).length;
    if (chain.status === 200) {
      const c = chain.body as { height: number; round: number; halted?: string };
      summary.chain = {
        height: c.height,
        round: c.round,
        ...(c.halted === undefined ? {} : { halted: c.halted }),
      };
    }
    const u = upgrade.body as {
      running: string;
      releases: Array<{ version: string; status: string; bytes: { have: number; total: number } }>;
    };
    summary.upgrade = {
      running: u.running,
      releases: (u.releases ?? []).map((r) => ({
        version: r.version,
        status: r.status,
        percent: r.bytes.total > 0 ? Math.floor((100 * r.bytes.have) / r.bytes.total) : 100,
      })),
    };
  } catch (err) {
    summary.error = err instanceof Error ? err.message : String(err);
  }
  return summary;
}
