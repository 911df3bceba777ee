import type { Registry } from "prom-client";
import type { MetricSources } from "./metricSources";
import { type Sample, scraped } from "./scrapedMetric";

interface TransportStats {
  peers: number;
  meshPeers: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  rejected: Record<string, number>;
  duplicateConnections: number;
  direct: { sent: number; received: number; dropped: number };
  gossip: Record<string, number>;
  validation: Record<string, number>;
  routerDropped?: number;
}

/** Links, traffic and gossip, from the transport's counters. */
export function p2pMetrics(register: Registry, src: MetricSources): void {
  const from =
    (f: (t: TransportStats) => Sample[]): (() => Promise<Sample[]>) =>
    async () => {
      const t = (await src.transport()) as TransportStats | undefined;
      return t === undefined ? [] : f(t);
    };
  const gauge = (name: string, help: string, f: (t: TransportStats) => Sample[]) =>
    scraped(register, { name, help, type: "gauge", read: from(f) });
  const counter = (name: string, help: string, f: (t: TransportStats) => Sample[]) =>
    scraped(register, { name, help, type: "counter", read: from(f) });
  gauge("anode_p2p_peers", "Peers linked now", (t) => [[{}, t.peers]]);
  gauge("anode_p2p_mesh_peers", "Peers in this node's gossip meshes (one per topic)", (t) => [
    [{}, t.meshPeers ?? 0],
  ]);
  counter("anode_p2p_bytes_total", "Bytes on p2p links since start, by direction", (t) => [
    [{ direction: "in" }, t.bytesIn],
    [{ direction: "out" }, t.bytesOut],
  ]);
  counter("anode_p2p_frames_total", "Frames on p2p links since start, by direction", (t) => [
    [{ direction: "in" }, t.framesIn],
    [{ direction: "out" }, t.framesOut],
  ]);
  counter(
    "anode_p2p_refused_total",
    "Links this node closed because of the peer (a refused frame or hello), by reason",
    (t) => Object.entries(t.rejected ?? {}).map(([reason, n]) => [{ reason }, n]),
  );
  counter(
    "anode_p2p_direct_messages_total",
    "Direct (node-to-node) messages since start, by what became of them",
    (t) => [
      [{ result: "sent" }, t.direct?.sent ?? 0],
      [{ result: "received" }, t.direct?.received ?? 0],
      [{ result: "dropped" }, (t.direct?.dropped ?? 0) + (t.routerDropped ?? 0)],
    ],
  );
  counter(
    "anode_gossip_messages_total",
    "Gossip messages since start: published here, delivered from others, forwarded, dropped at a full link",
    (t) =>
      ["published", "delivered", "forwarded", "dropped", "served"].map((kind) => [
        { kind },
        t.gossip?.[kind] ?? 0,
      ]),
  );
  counter("anode_gossip_duplicates_total", "Copies of gossip messages already seen", (t) => [
    [{}, t.gossip?.duplicates ?? 0],
  ]);
  counter(
    "anode_gossip_validation_total",
    "Messages on validated topics, by verdict (timed_out: no verdict in time; overflow: too many awaiting one)",
    (t) =>
      (
        [
          ["accepted", "accepted"],
          ["rejected", "rejected"],
          ["ignored", "ignored"],
          ["timedOut", "timed_out"],
          ["overflow", "overflow"],
        ] as const
      ).map(([key, verdict]) => [{ verdict }, t.validation?.[key] ?? 0]),
  );
}
