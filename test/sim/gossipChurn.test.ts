import { describe, expect, it } from "vitest";
import { describeRun, runMesh } from "./gossipMesh";

/** `npm run sim:gossip` runs it bigger and longer; CI runs the 1,000 nodes of must-show 2. */
const NODES = Number(process.env.GOSSIP_NODES ?? 1000);
const PUBLICATIONS = Number(process.env.GOSSIP_PUBLICATIONS ?? 30);
const CHURN = Number(process.env.GOSSIP_CHURN ?? 0.1);
const SEED = Number(process.env.GOSSIP_SEED ?? 42);

describe("mesh gossip at scale", () => {
  it(`${NODES} nodes, ${CHURN * 100} % churn: every node live throughout receives every publication, at most 1.5 whole copies per node per publication`, {
    timeout: 300_000,
  }, async () => {
    const mesh = await runMesh({
      nodes: NODES,
      degree: 8,
      seed: SEED,
      publications: PUBLICATIONS,
      warmup: 5,
      intervalMs: 100,
      churn: CHURN,
      downMs: [500, 2_000],
      settleMs: 4_000,
      // Overrides for experiments, e.g. GOSSIP_P2P={"meshEagerMin":3}; none in CI.
      p2p: JSON.parse(process.env.GOSSIP_P2P ?? "{}"),
    });
    console.log(describeRun(`mesh, ${NODES} nodes, churn ${CHURN}`, mesh));
    expect(mesh.left).toBe(Math.round(CHURN * NODES));
    expect(mesh.misses).toEqual([]);
    expect(mesh.dataFramesPerNode).toBeLessThanOrEqual(1.5);
  });
});
