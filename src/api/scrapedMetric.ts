import type { Registry } from "prom-client";

export type Labels = Record<string, string | number>;
export type Sample = [Labels, number];

/**
 * A metric whose samples are read when Prometheus scrapes: the node keeps its own totals
 * (in the engines' state, where counting is an increment) and the endpoint turns them
 * into a family. `read` answers every series of the family; none when its source is down
 * or answers something it cannot read (one family never fails the whole scrape).
 */
export function scraped(
  register: Registry,
  m: { name: string; help: string; type: "counter" | "gauge"; read(): Promise<Sample[]> },
): void {
  register.registerMetric({
    name: m.name,
    help: m.help,
    type: m.type,
    aggregator: "sum",
    async get() {
      const samples = await m.read().catch((): Sample[] => []);
      return {
        name: m.name,
        help: m.help,
        type: m.type,
        aggregator: "sum",
        values: samples.map(([labels, value]) => ({ labels, value })),
      };
    },
  } as unknown as Parameters<Registry["registerMetric"]>[0]);
}

export interface HistogramSample {
  labels: Labels;
  /** Observations per bucket (not cumulative), one per bound in `buckets`. */
  counts: readonly number[];
  sum: number;
  count: number;
}

/** A histogram kept as bucket counts by its source, exported in Prometheus's form. */
export function scrapedHistogram(
  register: Registry,
  m: { name: string; help: string; buckets: readonly number[]; read(): Promise<HistogramSample[]> },
): void {
  register.registerMetric({
    name: m.name,
    help: m.help,
    type: "histogram",
    aggregator: "sum",
    async get() {
      const values = [];
      for (const h of await m.read().catch((): HistogramSample[] => [])) {
        let cumulative = 0;
        m.buckets.forEach((le, i) => {
          cumulative += h.counts[i] ?? 0;
          values.push({
            metricName: `${m.name}_bucket`,
            labels: { ...h.labels, le },
            value: cumulative,
          });
        });
        values.push({
          metricName: `${m.name}_bucket`,
          labels: { ...h.labels, le: "+Inf" },
          value: h.count,
        });
        values.push({ metricName: `${m.name}_sum`, labels: h.labels, value: h.sum });
        values.push({ metricName: `${m.name}_count`, labels: h.labels, value: h.count });
      }
      return { name: m.name, help: m.help, type: "histogram", aggregator: "sum", values };
    },
  } as unknown as Parameters<Registry["registerMetric"]>[0]);
}
