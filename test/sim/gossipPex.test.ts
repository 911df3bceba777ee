import { describe, expect, it } from "vitest";
import { Simulation } from "./simulation";

const NODES = 100;
const SEEDS = 3;
const TARGET = 6;

describe("peer exchange simulation", () => {
  it(`${NODES} nodes that each know one of ${SEEDS} seeds fill their tables to ${TARGET} outbound peers, and gossip reaches all`, {
    timeout: 60_000,
  }, async () => {
    const sim = new Simulation({
      nodes: NODES,
      seed: 9,
      // Every node but the seeds dials one seed (33 each, under maxInboundPeers); the seeds
      // know each other.
      topology: (n) => {
        const edges: [number, number][] = [];
        for (let s = 1; s < SEEDS; s += 1) edges.push([0, s]);
        for (let i = SEEDS; i < n; i += 1) edges.push([i % SEEDS, i]);
        return edges;
      },
      link: { latencyMs: 10, jitterMs: 20 },
      p2p: { pex: true, targetOutboundPeers: TARGET },
    });
    await sim.startAll();
    const outbound = (i: number) =>
      sim.nodes[i]?.p2p.peers().filter((p) => p.direction === "outbound").length ?? 0;
    const filled = () => sim.nodes.every((n) => n.index < SEEDS || outbound(n.index) >= TARGET);
    const run = sim.runUntil(filled, 120_000);
    const short = sim.nodes.filter((n) => n.index >= SEEDS && outbound(n.index) < TARGET).length;
    expect(run.stopped, `${short} nodes below ${TARGET} outbound peers`).toBe("done");
    console.log(
      `pex: ${NODES} nodes from ${SEEDS} seeds reached ${TARGET} outbound peers each after ${sim.clock.now().toFixed(0)} virtual ms`,
    );
    const id = sim.nodes[NODES - 1]?.p2p.publish("tx", "over learned links") as string;
    expect(sim.runUntil(() => sim.deliveries.get(id) === NODES - 1, 10_000).stopped).toBe("done");
  });
});
