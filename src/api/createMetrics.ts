import { collectDefaultMetrics, Registry } from "prom-client";
import type { Mailer } from "../runtime";
import type { NodeInfo } from "./apiDeps";
import { chainMetrics } from "./chainMetrics";
import { metricSources } from "./metricSources";
import { nodeMetrics } from "./nodeMetrics";
import { p2pMetrics } from "./p2pMetrics";
import { upgradeMetrics } from "./upgradeMetrics";

/**
 * prom-client's default process metrics that are gauges named `_total` (a counter's
 * suffix), which `promtool check metrics` reports: left out.
 */
const MISNAMED_DEFAULTS = [
  "anode_nodejs_active_handles_total",
  "anode_nodejs_active_requests_total",
  "anode_nodejs_active_resources_total",
];

/**
 * Prometheus metrics, read from the engines at scrape time so that nothing on the hot
 * path pays for them (each engine is asked once per scrape). Names follow Prometheus's
 * conventions: counters end in `_total`, units are in the name (`_seconds`, `_bytes`),
 * latencies are histograms. docs/metrics.md lists them; docs/grafana-dashboard.json charts them.
 */
export function createMetrics(mailer: Mailer, nodeInfo: () => NodeInfo): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: "anode_" });
  for (const name of MISNAMED_DEFAULTS) register.removeSingleMetric(name);
  const src = metricSources(mailer, nodeInfo);
  nodeMetrics(register, src);
  chainMetrics(register, src);
  p2pMetrics(register, src);
  upgradeMetrics(register, src);
  return register;
}
