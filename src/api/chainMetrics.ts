import type { Registry } from "prom-client";
import { COMMIT_SECONDS_BUCKETS } from "../engines";
import type { MetricSources } from "./metricSources";
import { type Sample, scraped, scrapedHistogram } from "./scrapedMetric";

interface ChainStatus {
  chainId: string;
  height?: number;
  round?: number;
  halted?: string;
  stats?: Record<string, number>;
  metrics?: {
    rounds: number;
    messages: Record<string, number>;
    commitSeconds: { counts: number[]; sum: number; count: number };
  };
}

const perChain = (
  src: MetricSources,
  f: (c: ChainStatus) => Sample[],
): (() => Promise<Sample[]>) => {
  return async () => ((await src.chains()) as unknown as ChainStatus[]).flatMap(f);
};

/** Consensus of every chain this node follows, labelled by chain. */
export function chainMetrics(register: Registry, src: MetricSources): void {
  const gauge = (name: string, help: string, f: (c: ChainStatus) => Sample[]) =>
    scraped(register, { name, help, type: "gauge", read: perChain(src, f) });
  const counter = (name: string, help: string, f: (c: ChainStatus) => Sample[]) =>
    scraped(register, { name, help, type: "counter", read: perChain(src, f) });
  gauge("anode_consensus_height", "Height consensus is deciding now", (c) => [
    [{ chain: c.chainId }, c.height ?? 0],
  ]);
  gauge("anode_consensus_round", "Round of the height consensus is deciding now", (c) => [
    [{ chain: c.chainId }, c.round ?? 0],
  ]);
  gauge(
    "anode_consensus_halted",
    "1 while the chain is halted on this node (diverged, or waiting for a release at its activation height)",
    (c) => [[{ chain: c.chainId }, c.halted === undefined ? 0 : 1]],
  );
  counter("anode_consensus_decided_total", "Heights decided since start", (c) => [
    [{ chain: c.chainId }, c.stats?.decided ?? 0],
  ]);
  counter(
    "anode_consensus_rounds_total",
    "Rounds entered past round 0 since start: each one a round that did not decide",
    (c) => (c.metrics ? [[{ chain: c.chainId }, c.metrics.rounds]] : []),
  );
  counter(
    "anode_consensus_messages_total",
    "Signed proposals and votes taken into consensus since start (this node's own included), by type",
    (c) =>
      Object.entries(c.metrics?.messages ?? {}).map(([type, n]) => [{ chain: c.chainId, type }, n]),
  );
  counter(
    "anode_consensus_divergences_total",
    "Proposals and decided blocks that did not extend this node's chain (parent or state root differ)",
    (c) => [[{ chain: c.chainId }, c.stats?.diverged ?? 0]],
  );
  counter("anode_consensus_evidence_total", "Equivocations seen since start", (c) => [
    [{ chain: c.chainId }, c.stats?.evidence ?? 0],
  ]);
  scrapedHistogram(register, {
    name: "anode_consensus_commit_seconds",
    help: "Time from starting a height to deciding it",
    buckets: COMMIT_SECONDS_BUCKETS,
    read: async () =>
      ((await src.chains()) as unknown as ChainStatus[]).flatMap((c) =>
        c.metrics ? [{ labels: { chain: c.chainId }, ...c.metrics.commitSeconds }] : [],
      ),
  });
}
