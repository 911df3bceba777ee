import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NodeProcess, startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";
import { eventually, nodeApi, type TestnetNodeInfo } from "../support/testnet";

interface Peers {
  peers: Array<{ id: string; address: string; direction: string }>;
  stats: { pex: { known: number; dials: number }; meshPeers: number };
}

interface Recent {
  messages: Array<{ id: string }>;
}

/**
 * Five real node processes on loopback: a seed, three nodes that know only the seed, and
 * a newcomer configured with the seed's address alone. Peer exchange must connect the
 * newcomer to the others, and gossip published by the newcomer must reach everyone.
 */
describe("peer exchange between real node processes", () => {
  const dirs = Array.from({ length: 5 }, () => tempDir("anode-pex-"));
  const procs: NodeProcess[] = [];
  const nodes: TestnetNodeInfo[] = [];

  async function start(index: number, seed: string | undefined): Promise<string> {
    const p2p = `127.0.0.1:${await freePort()}`;
    const apiPort = await freePort();
    const dir = dirs[index]?.path as string;
    const proc = await startNodeProcess(["--data-dir", dir, "--api-port", String(apiPort)], {
      env: {
        ANODE_P2P_LISTEN: p2p,
        ANODE_P2P_PEERS: JSON.stringify(seed === undefined ? [] : [{ address: seed }]),
      },
    });
    procs.push(proc);
    nodes.push({
      index,
      id: "",
      host: "127.0.0.1",
      apiPort,
      dir,
      pid: proc.pid,
      neighbours: [],
    });
    return p2p;
  }

  beforeAll(async () => {
    const seed = await start(0, undefined);
    for (let i = 1; i <= 3; i += 1) await start(i, seed);
    await start(4, seed);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    for (const d of dirs) d.remove();
  });

  it("a node given one seed address ends up connected to the seed's other peers", async () => {
    const newcomer = nodes[4] as TestnetNodeInfo;
    await eventually(
      async () => (await nodeApi<Peers>(newcomer, "GET", "/v1/peers")).peers.length >= 4,
      30_000,
      "the newcomer to connect to the seed and the three peers it learned of",
    );
    const view = await nodeApi<Peers>(newcomer, "GET", "/v1/peers");
    const outbound = view.peers.filter((p) => p.direction === "outbound");
    expect(outbound.length).toBeGreaterThanOrEqual(4);
    expect(view.stats.pex.dials).toBeGreaterThanOrEqual(3);
    expect(view.stats.pex.known).toBeGreaterThanOrEqual(3);
  });

  it("gossip published at the newcomer reaches every node", async () => {
    const newcomer = nodes[4] as TestnetNodeInfo;
    const sent = await nodeApi<{ id: string }>(newcomer, "POST", "/v1/gossip", {
      topic: "p2p-test",
      body: { hello: "mesh" },
    });
    expect(sent.id).toMatch(/^[0-9a-f]{32}$/);
    await eventually(
      async () => {
        const seen = await Promise.all(
          nodes.slice(0, 4).map(async (n) => {
            const r = await nodeApi<Recent>(n, "GET", "/v1/gossip?topic=p2p-test");
            return r.messages.some((m) => m.id === sent.id);
          }),
        );
        return seen.every(Boolean);
      },
      20_000,
      "every node to receive the newcomer's message",
    );
  });
});
