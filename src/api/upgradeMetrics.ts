import type { Registry } from "prom-client";
import type { MetricSources } from "./metricSources";
import { type Sample, scraped } from "./scrapedMetric";

interface UpgradeStatus {
  releases: Array<{
    version: string;
    status: string;
    sources: Record<string, number>;
    artifacts: Array<{ size: number }>;
    chunks: { total: number };
  }>;
  served: { bytes: number; pieces: number };
  counts?: { swaps: number; rollbacks: number };
  bad: Record<string, string>;
}

const STATES = [
  "fetching",
  "verified",
  "waiting",
  "applying",
  "restarting",
  "trial",
  "applied",
  "failed",
];

/** Releases and their spreading, from the upgrade engine's status. */
export function upgradeMetrics(register: Registry, src: MetricSources): void {
  const from =
    (f: (u: UpgradeStatus) => Sample[]): (() => Promise<Sample[]>) =>
    async () => {
      const u = (await src.upgrade()) as UpgradeStatus | undefined;
      return u === undefined ? [] : f(u);
    };
  scraped(register, {
    name: "anode_upgrade_releases",
    help: "Releases this node knows, by state",
    type: "gauge",
    read: from((u) => {
      const counts = new Map<string, number>(STATES.map((s) => [s, 0]));
      for (const r of u.releases) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      return [...counts].map(([state, n]) => [{ state }, n]);
    }),
  });
  scraped(register, {
    name: "anode_upgrade_fetched_bytes_total",
    help: "Release bytes fetched from peers, by the peer they came from",
    type: "counter",
    read: from((u) => {
      const bytes = new Map<string, number>();
      for (const r of u.releases) {
        const size = r.artifacts.reduce((n, a) => n + a.size, 0);
        // Chunks are of one size but the last: the average is exact over a whole release.
        const perChunk = r.chunks.total > 0 ? size / r.chunks.total : 0;
        for (const [source, chunks] of Object.entries(r.sources ?? {}))
          bytes.set(source, (bytes.get(source) ?? 0) + Math.round(chunks * perChunk));
      }
      return [...bytes].map(([source, n]) => [{ source }, n]);
    }),
  });
  scraped(register, {
    name: "anode_upgrade_served_bytes_total",
    help: "Release bytes this node uploaded to its peers",
    type: "counter",
    read: from((u) => [[{}, u.served?.bytes ?? 0]]),
  });
  scraped(register, {
    name: "anode_upgrade_swaps_total",
    help: "App releases hot-swapped in by this node's upgrade engine since start",
    type: "counter",
    read: from((u) => (u.counts ? [[{}, u.counts.swaps]] : [])),
  });
  scraped(register, {
    name: "anode_upgrade_rollbacks_total",
    help: "Hot swaps put back by this node's upgrade engine since start (a failed health window or an operator's rollback)",
    type: "counter",
    read: from((u) => (u.counts ? [[{}, u.counts.rollbacks]] : [])),
  });
  scraped(register, {
    name: "anode_upgrade_bad_releases",
    help: "Releases this node marked bad (rolled back, or failed their health window)",
    type: "gauge",
    read: from((u) => [[{}, Object.keys(u.bad ?? {}).length]]),
  });
}
