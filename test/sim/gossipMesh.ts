import type { P2PTunables, SeededRng } from "../../src/p2p";
import { seededRng } from "../../src/p2p";
import { Simulation } from "./simulation";
import { randomCycles } from "./topology";

export interface MeshRunOptions {
  readonly nodes: number;
  readonly degree: number;
  readonly seed: number;
  readonly publications: number;
  /**
   * Publications before the measured ones (and before any churn), not counted: a topic's
   * first messages go over every link its meshes start with, until duplicates choke them.
   */
  readonly warmup: number;
  /** Virtual time between publications. */
  readonly intervalMs: number;
  /** Fraction of the nodes that leave during the run and join again later. */
  readonly churn: number;
  /** How long a node that left stays away (uniform in [min, max]). */
  readonly downMs: readonly [number, number];
  /** Virtual time after the last publication for repairs to finish. */
  readonly settleMs: number;
  readonly p2p?: Partial<P2PTunables>;
  readonly link?: { latencyMs: number; jitterMs: number };
}

export interface MeshRunResult {
  readonly publications: number;
  /** What the warm-up publications cost: whole copies received per node per publication. */
  readonly warmupFramesPerNode: number;
  /** Nodes alive when a publication went out and at the end, summed over publications. */
  readonly expected: number;
  /** Of those, receptions that never happened: [publication index, node index]. */
  readonly misses: [number, number][];
  /** Publications received by nodes that were away when they went out. */
  readonly caughtUp: number;
  /** Publications missed by nodes up when they went out that left and rejoined before receiving them. */
  readonly missedWhileAway: number;
  /** Frames carrying a message body, received, per live node per publication. */
  readonly dataFramesPerNode: number;
  /** Of those, copies of a message the node already had. */
  readonly duplicatesPerNode: number;
  /** Control frames (IHAVE/IWANT/GRAFT/PRUNE/choke), received, per live node per publication. */
  readonly controlFramesPerNode: number;
  readonly control: {
    ihave: number;
    iwant: number;
    graft: number;
    prune: number;
    choke: number;
    unchoke: number;
  };
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly left: number;
  readonly wallMs: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

type Action = { at: number; run: () => Promise<void> | void };

/**
 * One gossip run over a random regular-ish graph: publications from random live nodes at
 * a fixed interval while a fraction of the nodes leave (SIGKILL) and come back (restart
 * with the same key and peers). Counts come from the nodes' own counters, killed
 * processes included, so nothing is measured that the nodes did not do.
 */
export async function runMesh(options: MeshRunOptions): Promise<MeshRunResult> {
  const wallStart = performance.now();
  const publishedAt = new Map<string, number>();
  /** Restarts per node: a delivery to a process started after the publication is no latency. */
  const incarnation = new Map<number, number>();
  const incarnationAt = new Map<string, Map<number, number>>();
  const latencies: number[] = [];
  const sim: Simulation = new Simulation({
    nodes: options.nodes,
    seed: options.seed,
    topology: (n, rng) => randomCycles(n, options.degree, rng),
    link: options.link ?? { latencyMs: 10, jitterMs: 20 },
    ...(options.p2p === undefined ? {} : { p2p: options.p2p }),
    app: (node) => ({
      onGossip: (_topic, _body, meta) => {
        const at = publishedAt.get(meta.id);
        const then = incarnationAt.get(meta.id)?.get(node.index);
        if (at !== undefined && then !== undefined && then === (incarnation.get(node.index) ?? 0)) {
          latencies.push(sim.clock.now() - at);
        }
      },
    }),
  });
  await sim.startAll();
  const connect = sim.runUntil(() => sim.connected(), 60_000);
  if (connect.stopped !== "done")
    throw new Error("Cannot run the mesh simulation: the nodes did not connect within 60 s");
  // A few heartbeats, then the warm-up publications, as in a network already running.
  sim.runUntil(() => false, 3_000);
  const cold = sim.totals();
  for (let k = 0; k < options.warmup; k += 1) {
    const publisher = sim.nodes[Math.floor(seededRng(options.seed + 2 + k).next() * options.nodes)];
    publisher?.p2p.publish("tx", { warmup: k });
    sim.runUntil(() => false, options.intervalMs);
  }
  sim.runUntil(() => false, 2_000);
  const before = sim.totals();

  const rng: SeededRng = seededRng(options.seed + 1);
  const start = sim.clock.now();
  const span = options.publications * options.intervalMs;
  const actions: Action[] = [];
  const ids: string[] = [];
  for (let k = 0; k < options.publications; k += 1) {
    actions.push({
      at: start + k * options.intervalMs,
      run: () => {
        const live = sim.nodes.filter((n) => n.alive);
        const publisher = live[Math.floor(rng.next() * live.length)];
        if (publisher === undefined) return;
        const id = publisher.p2p.publish("tx", { k, from: publisher.index });
        publishedAt.set(id, sim.clock.now());
        const others = live.filter((n) => n !== publisher);
        incarnationAt.set(id, new Map(others.map((n) => [n.index, incarnation.get(n.index) ?? 0])));
        ids.push(id);
      },
    });
  }
  const leaving = Math.round(options.churn * options.nodes);
  const order = sim.nodes.map((n) => n.index);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const [downMin, downMax] = options.downMs;
  for (const victim of order.slice(0, leaving)) {
    const leaveAt = start + rng.next() * span;
    const backAt = leaveAt + downMin + rng.next() * (downMax - downMin);
    actions.push({ at: leaveAt, run: () => sim.kill(victim) });
    actions.push({
      at: backAt,
      run: () => {
        incarnation.set(victim, (incarnation.get(victim) ?? 0) + 1);
        return sim.restart(victim);
      },
    });
  }
  actions.sort((a, b) => a.at - b.at);
  for (const action of actions) {
    const wait = action.at - sim.clock.now();
    if (wait > 0) sim.runUntil(() => false, wait);
    await action.run();
  }
  sim.runUntil(() => false, options.settleMs);

  const misses: [number, number][] = [];
  let expected = 0;
  let caughtUp = 0;
  let rejoined = 0;
  ids.forEach((id, k) => {
    const then = incarnationAt.get(id) as Map<number, number>;
    for (const node of sim.nodes) {
      if (!node.alive) continue;
      const was = then.get(node.index);
      if (was === undefined) {
        if (node.received.has(id)) caughtUp += 1;
        continue;
      }
      // Live throughout: up when it went out and never down since. A node that left in
      // between and missed it is counted apart (it may catch up from the message cache).
      if (was === (incarnation.get(node.index) ?? 0)) {
        expected += 1;
        if (!node.received.has(id)) misses.push([k, node.index]);
      } else if (!node.received.has(id)) rejoined += 1;
    }
  });
  const after = sim.totals();
  const perNode = (n: number) => n / (options.nodes * ids.length);
  const d = (key: keyof typeof after.control) => after.control[key] - before.control[key];
  latencies.sort((a, b) => a - b);
  return {
    publications: ids.length,
    warmupFramesPerNode:
      options.warmup === 0
        ? 0
        : (before.gossip.received - cold.gossip.received) / (options.nodes * options.warmup),
    expected,
    misses,
    caughtUp,
    missedWhileAway: rejoined,
    dataFramesPerNode: perNode(after.gossip.received - before.gossip.received),
    duplicatesPerNode: perNode(after.gossip.duplicates - before.gossip.duplicates),
    controlFramesPerNode: perNode(d("framesReceived")),
    control: {
      ihave: d("ihave"),
      iwant: d("iwant"),
      graft: d("graft"),
      prune: d("prune"),
      choke: d("choke"),
      unchoke: d("unchoke"),
    },
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    left: leaving,
    wallMs: performance.now() - wallStart,
  };
}

/** One line of a run's figures, for the test log. */
export function describeRun(label: string, r: MeshRunResult): string {
  return (
    `${label}: ${r.publications} publications after a warm-up costing ${r.warmupFramesPerNode.toFixed(2)} data frames/node/publication, ${r.left} nodes left and rejoined; ` +
    `data frames/node/publication ${r.dataFramesPerNode.toFixed(2)} (duplicates ${r.duplicatesPerNode.toFixed(2)}), ` +
    `control frames/node/publication ${r.controlFramesPerNode.toFixed(2)} ` +
    `(entries: ihave ${r.control.ihave}, iwant ${r.control.iwant}, graft ${r.control.graft}, prune ${r.control.prune}, choke ${r.control.choke}, unchoke ${r.control.unchoke}); ` +
    `delivery p50 ${r.p50Ms.toFixed(0)} ms, p99 ${r.p99Ms.toFixed(0)} ms, max ${r.maxMs.toFixed(0)} ms (virtual); ` +
    `live throughout: missed ${r.misses.length} of ${r.expected}; nodes away at publication caught up ${r.caughtUp}; ` +
    `nodes that left before receiving missed ${r.missedWhileAway}; ${r.wallMs.toFixed(0)} ms wall`
  );
}
