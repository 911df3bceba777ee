import { describe, expect, it } from "vitest";
import { SEALED_TAG } from "../../src/p2p";
import { describeRun, runMesh } from "./gossipMesh";
import { Simulation } from "./simulation";
import { circulant, randomCycles } from "./topology";

/** Virtual time budgets: generous multiples of what the runs need. */
const CONNECT_WITHIN_MS = 30_000;
const DELIVER_WITHIN_MS = 10_000;

/** Every frame after the hellos: gossip, direct messages, pings, all inside the link cipher. */
const isSealed = (data: Uint8Array): boolean => data[0] === SEALED_TAG;

describe("gossip simulation", () => {
  // The baseline of must-show 2, measured in the same CI run as the mesh (gossipChurn):
  // flooding sends every message over every link, about degree - 1 copies per node.
  it("1,000 nodes of degree 8: flooding costs about 7 whole copies per node per publication (the mesh's baseline)", {
    timeout: 120_000,
  }, async () => {
    const flood = await runMesh({
      nodes: 1000,
      degree: 8,
      seed: 42,
      publications: 5,
      warmup: 0,
      intervalMs: 500,
      churn: 0,
      downMs: [0, 0],
      settleMs: 2_000,
      p2p: { gossipMode: "flood" },
    });
    console.log(describeRun("flood, 1000 nodes, no churn", flood));
    expect(flood.misses).toEqual([]);
    expect(flood.dataFramesPerNode).toBeGreaterThan(6);
    expect(flood.controlFramesPerNode).toBe(0);
  });

  it("reaches every node through delayed, jittered links, handing each message over once", async () => {
    const sim = new Simulation({
      nodes: 200,
      seed: 7,
      topology: (n, rng) => randomCycles(n, 8, rng),
      link: { latencyMs: 5, jitterMs: 200 },
    });
    await sim.startAll();
    expect(sim.runUntil(() => sim.connected(), CONNECT_WITHIN_MS).stopped).toBe("done");
    const ids = [0, 50, 100, 150].map((i) => sim.nodes[i]?.p2p.publish("t", { from: i }) as string);
    const run = sim.runUntil(
      () => ids.every((id) => sim.deliveries.get(id) === 199),
      DELIVER_WITHIN_MS,
    );
    expect(run.stopped).toBe("done");
    const duplicates = sim.nodes.reduce((s, n) => s + n.p2p.stats().gossip.duplicates, 0);
    expect(duplicates).toBeGreaterThan(0);
    // Each node hands each message to its application exactly once.
    expect(sim.nodes.reduce((s, n) => s + n.p2p.stats().gossip.delivered, 0)).toBe(4 * 199);
  });

  // Links are sealed streams (LinkCipher): a frame lost, repeated or reordered on the way
  // is what an on-path attacker does, and the link must close rather than carry on.
  it("frames lost, repeated or reordered on the path close their links; after the path heals every node reconnects and receives", async () => {
    const sim = new Simulation({
      nodes: 200,
      seed: 7,
      topology: (n, rng) => randomCycles(n, 8, rng),
      link: {
        latencyMs: 5,
        jitterMs: 200,
        dropRate: 0.1,
        duplicateRate: 0.1,
        reorder: true,
        faultable: isSealed,
      },
    });
    await sim.startAll();
    sim.runUntil(() => false, 10_000);
    const ids = [0, 50, 100, 150].map((i) => sim.nodes[i]?.p2p.publish("t", { from: i }) as string);
    sim.runUntil(() => false, 10_000);
    expect(sim.network.stats.dropped).toBeGreaterThan(0);
    expect(sim.network.stats.duplicated).toBeGreaterThan(0);
    const tampered = sim.nodes.reduce(
      (s, n) => s + (n.p2p.stats().rejected.frame_auth_failed ?? 0),
      0,
    );
    expect(tampered).toBeGreaterThan(0);
    // Whatever got through was handed over at most once per node.
    for (const id of ids) expect(sim.deliveries.get(id) ?? 0).toBeLessThanOrEqual(199);
    const delivered = sim.nodes.reduce((s, n) => s + n.p2p.stats().gossip.delivered, 0);
    expect(delivered).toBe(ids.reduce((s, id) => s + (sim.deliveries.get(id) ?? 0), 0));

    sim.network.setDefaultLink({ dropRate: 0, duplicateRate: 0, reorder: false });
    expect(sim.runUntil(() => sim.connected(), 120_000).stopped).toBe("done");
    const after = sim.nodes[0]?.p2p.publish("t", "after the heal") as string;
    expect(sim.runUntil(() => sim.deliveries.get(after) === 199, DELIVER_WITHIN_MS).stopped).toBe(
      "done",
    );
  });

  it("a partition blocks delivery until it heals", async () => {
    const sim = new Simulation({ nodes: 40, seed: 3, topology: (n) => circulant(n, 4) });
    await sim.startAll();
    expect(sim.runUntil(() => sim.connected(), CONNECT_WITHIN_MS).stopped).toBe("done");
    const left = sim.nodes.slice(0, 20).map((n) => n.host);
    const cut = sim.network.partition(left);
    const id = sim.nodes[0]?.p2p.publish("t", "during the partition") as string;
    sim.runUntil(() => false, 2_000);
    const missing = sim.missing(id, 0);
    expect(missing).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i));
    cut.heal();
    expect(sim.runUntil(() => sim.deliveries.get(id) === 39, DELIVER_WITHIN_MS).stopped).toBe(
      "done",
    );
  });

  it("a partition longer than the peer timeout drops links, which come back after the heal", async () => {
    const sim = new Simulation({ nodes: 30, seed: 5, topology: (n) => circulant(n, 4) });
    await sim.startAll();
    expect(sim.runUntil(() => sim.connected(), CONNECT_WITHIN_MS).stopped).toBe("done");
    const cut = sim.network.partition(sim.nodes.slice(0, 15).map((n) => n.host));
    sim.runUntil(() => false, 60_000);
    const rejected = sim.nodes.reduce((s, n) => s + (n.p2p.stats().rejected.peer_timeout ?? 0), 0);
    expect(rejected).toBeGreaterThan(0);
    expect(sim.connected()).toBe(false);
    cut.heal();
    expect(sim.runUntil(() => sim.connected(), 120_000).stopped).toBe("done");
    const id = sim.nodes[0]?.p2p.publish("t", "after the heal") as string;
    expect(sim.runUntil(() => sim.deliveries.get(id) === 29, DELIVER_WITHIN_MS).stopped).toBe(
      "done",
    );
  });

  it("killed nodes restart, reconnect and receive what is published after", async () => {
    const sim = new Simulation({
      nodes: 50,
      seed: 11,
      topology: (n, rng) => randomCycles(n, 6, rng),
    });
    await sim.startAll();
    expect(sim.runUntil(() => sim.connected(), CONNECT_WITHIN_MS).stopped).toBe("done");
    const victims = [3, 17, 25, 31, 44];
    for (const v of victims) sim.kill(v);
    const during = sim.nodes[0]?.p2p.publish("t", "while they are down") as string;
    sim.runUntil(() => false, 1_000);
    expect(sim.missing(during, 0)).toEqual([]);
    for (const v of victims) await sim.restart(v);
    expect(sim.runUntil(() => sim.connected(), 120_000).stopped).toBe("done");
    const after = sim.nodes[0]?.p2p.publish("t", "after the restart") as string;
    expect(sim.runUntil(() => sim.deliveries.get(after) === 49, DELIVER_WITHIN_MS).stopped).toBe(
      "done",
    );
  });
});
