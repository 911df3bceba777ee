import { CONSENSUS, EXECUTOR, MEMPOOL, OPERATOR, STORAGE, TRANSPORT, UPGRADE } from "../engines";
import type { Mailer } from "../runtime";
import type { NodeInfo } from "./apiDeps";

/** How long one engine's answer serves every family of a scrape. */
const SCRAPE_MEMO_MS = 500;
const ASK_TIMEOUT_MS = 2000;

/** What the metrics read, each engine asked at most once per scrape (undefined if down). */
export interface MetricSources {
  nodeInfo(): NodeInfo;
  storage(): Promise<{ height: number } | undefined>;
  mempool(): Promise<Record<string, number> | undefined>;
  executor(): Promise<{ blocks: number; backlog: number } | undefined>;
  transport(): Promise<Record<string, unknown> | undefined>;
  /** Every chain this node follows: its consensus engine's status. */
  chains(): Promise<Array<Record<string, unknown>>>;
  upgrade(): Promise<Record<string, unknown> | undefined>;
}

export function metricSources(mailer: Mailer, nodeInfo: () => NodeInfo): MetricSources {
  const memo = new Map<string, { at: number; value: Promise<unknown> }>();
  const ask = <T>(engine: string, msg: object): Promise<T | undefined> => {
    const key = `${engine} ${JSON.stringify(msg)}`;
    const hit = memo.get(key);
    if (hit !== undefined && Date.now() - hit.at < SCRAPE_MEMO_MS) return hit.value as Promise<T>;
    const value = mailer.call({ engine }, msg, ASK_TIMEOUT_MS).catch(() => undefined);
    memo.set(key, { at: Date.now(), value });
    return value as Promise<T | undefined>;
  };
  return {
    nodeInfo,
    storage: () => ask(STORAGE, { type: "status" }),
    mempool: () => ask(MEMPOOL, { type: "stats" }),
    executor: () => ask(EXECUTOR, { type: "stats" }),
    transport: () => ask(TRANSPORT, { type: "stats" }),
    async chains() {
      const names = nodeInfo()
        .engines.map((e) => e.name)
        .filter((n) => n === CONSENSUS || n.startsWith(`${CONSENSUS}@`));
      const all = await Promise.all(
        (names.length > 0 ? names : [CONSENSUS]).map((n) =>
          ask<Record<string, unknown>>(n, { type: "status" }),
        ),
      );
      return all.filter((s): s is Record<string, unknown> => typeof s?.chainId === "string");
    },
    upgrade: () => ask(UPGRADE, { type: "status", op: OPERATOR }),
  };
}
