import type { Registry } from "prom-client";
import type { MetricSources } from "./metricSources";
import { type Sample, scraped } from "./scrapedMetric";

/** Engines, supervision, the store, the mempool and the executor. */
export function nodeMetrics(register: Registry, src: MetricSources): void {
  scraped(register, {
    name: "anode_engine_up",
    help: "1 for each running engine, by name and module version",
    type: "gauge",
    read: async () =>
      src
        .nodeInfo()
        .engines.map((e) => [
          { engine: e.name, version: e.version },
          e.status === "exited" ? 0 : 1,
        ]),
  });
  scraped(register, {
    name: "anode_engine_mailbox_messages",
    help: "Messages waiting in each engine's mailbox",
    type: "gauge",
    read: async () => src.nodeInfo().engines.map((e) => [{ engine: e.name }, e.mailbox]),
  });
  scraped(register, {
    name: "anode_supervisor_restarts_total",
    help: "Child restarts performed by the supervisors since start, by child (an engine or a subtree)",
    type: "counter",
    read: async () =>
      Object.entries(src.nodeInfo().restartsByChild ?? {}).map(([child, n]) => [{ child }, n]),
  });
  scraped(register, {
    name: "anode_block_height",
    help: "Height of the last committed block",
    type: "gauge",
    read: async () => {
      const s = await src.storage();
      return s ? [[{}, s.height]] : [];
    },
  });
  scraped(register, {
    name: "anode_mempool_transactions",
    help: "Transactions in the mempool now, by state (pending: waiting for a block; in_flight: in a block being ordered, executed or committed)",
    type: "gauge",
    read: async () => {
      const m = await src.mempool();
      if (!m) return [];
      return [
        [{ state: "pending" }, m.pending ?? 0],
        [{ state: "in_flight" }, m.inFlight ?? 0],
      ];
    },
  });
  scraped(register, {
    name: "anode_mempool_transactions_total",
    help: "Transactions the mempool has seen since start, by outcome",
    type: "counter",
    read: async () => {
      const m = await src.mempool();
      if (!m) return [];
      const out: Sample[] = [
        [{ outcome: "accepted" }, m.accepted ?? 0],
        [{ outcome: "rejected" }, m.rejected ?? 0],
        [{ outcome: "duplicate" }, m.duplicates ?? 0],
        [{ outcome: "committed" }, m.committed ?? 0],
      ];
      return out;
    },
  });
  scraped(register, {
    name: "anode_executor_blocks_total",
    help: "Blocks the executor has committed since start",
    type: "counter",
    read: async () => {
      const e = await src.executor();
      return e ? [[{}, e.blocks]] : [];
    },
  });
  scraped(register, {
    name: "anode_executor_backlog_blocks",
    help: "Ordered blocks waiting for the executor",
    type: "gauge",
    read: async () => {
      const e = await src.executor();
      return e ? [[{}, e.backlog]] : [];
    },
  });
}
