import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { CONSENSUS, MEMPOOL, STORAGE, type StorageStatus } from "../engines";
import type { Mailer } from "../runtime";
import type { NodeInfo } from "./apiDeps";

interface MempoolStats {
  pending: number;
  inFlight: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  committed: number;
}

/**
 * Prometheus metrics, read from the engines at scrape time so that nothing on the hot
 * path pays for them. Names end in their unit or `_total` for counters.
 */
export function createMetrics(mailer: Mailer, nodeInfo: () => NodeInfo): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: "anode_" });
  const ask = async <T>(engine: string, msg: unknown): Promise<T | undefined> => {
    try {
      return (await mailer.call({ engine }, msg, 2000)) as T;
    } catch {
      return undefined;
    }
  };
  new Gauge({
    name: "anode_block_height",
    help: "Height of the last committed block",
    registers: [register],
    async collect() {
      const s = await ask<StorageStatus>(STORAGE, { type: "status" });
      if (s) this.set(s.height);
    },
  });
  const txs = new Gauge({
    name: "anode_transactions",
    help: "Transactions by pipeline stage (pending, in_flight) and outcome counters since start",
    labelNames: ["stage"],
    registers: [register],
    async collect() {
      const m = await ask<MempoolStats>(MEMPOOL, { type: "stats" });
      if (!m) return;
      txs.set({ stage: "pending" }, m.pending);
      txs.set({ stage: "in_flight" }, m.inFlight);
      txs.set({ stage: "accepted" }, m.accepted);
      txs.set({ stage: "rejected" }, m.rejected);
      txs.set({ stage: "duplicate" }, m.duplicates);
      txs.set({ stage: "committed" }, m.committed);
    },
  });
  new Gauge({
    name: "anode_supervisor_restarts",
    help: "Child restarts performed by all supervisors since start",
    registers: [register],
    collect() {
      this.set(nodeInfo().restarts);
    },
  });
  const engines = new Gauge({
    name: "anode_engine_up",
    help: "1 for each running engine, by name and module version",
    labelNames: ["engine", "version"],
    registers: [register],
    collect() {
      engines.reset();
      for (const e of nodeInfo().engines)
        engines.set({ engine: e.name, version: e.version }, e.status === "exited" ? 0 : 1);
    },
  });
  // The chain this node's state follows (none: the scrape simply has no such series).
  const chain = async () =>
    ask<{ chainId: string; halted?: string; stats: { diverged: number } }>(CONSENSUS, {
      type: "status",
    });
  const divergences = new Counter({
    name: "anode_consensus_divergences_total",
    help: "Proposals and decided blocks that did not extend this node's chain (parent or state root differ)",
    labelNames: ["chain"],
    registers: [register],
    async collect() {
      const c = await chain();
      if (!c) return;
      divergences.reset();
      divergences.inc({ chain: c.chainId }, c.stats.diverged ?? 0);
    },
  });
  const halted = new Gauge({
    name: "anode_consensus_halted",
    help: "1 while the chain is halted on this node (diverged, or waiting for a release at its activation height)",
    labelNames: ["chain"],
    registers: [register],
    async collect() {
      const c = await chain();
      if (c) halted.set({ chain: c.chainId }, c.halted === undefined ? 0 : 1);
    },
  });
  return register;
}
