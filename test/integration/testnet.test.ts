import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";
import {
  alive,
  eventually,
  killPids,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
} from "../support/testnet";

const N = 20;

interface Recent {
  messages: Array<{ id: string; origin: string }>;
}

async function everyoneHas(nodes: TestnetNodeInfo[], topic: string, id: string): Promise<boolean> {
  const seen = await Promise.all(
    nodes.map(async (n) => {
      const r = await nodeApi<Recent>(n, "GET", `/v1/gossip?topic=${topic}`).catch(() => undefined);
      return r?.messages.some((m) => m.id === id) ?? false;
    }),
  );
  return seen.every(Boolean);
}

describe(`anode testnet with ${N} real processes`, () => {
  const dir = tempDir("anode-testnet-");
  let basePort = 0;
  const g = () => ["testnet", "--dir", dir.path];

  afterAll(async () => {
    await runCli([...g().slice(0, 1), "down", "--dir", dir.path], { timeoutMs: 60_000 });
    // Whatever happened, leave no process behind.
    try {
      killPids(readTestnetState(dir.path).nodes.map((n) => n.pid));
    } catch {}
    dir.remove();
  });

  it("comes up on distinct loopback addresses, gossips to all, survives churn, and goes down leaving nothing", async () => {
    basePort = await freePort("127.0.0.2");
    const up = await runCli(
      ["testnet", "up", "-n", String(N), "--dir", dir.path, "--base-port", String(basePort)],
      {
        timeoutMs: 120_000,
      },
    );
    expect(up.code, up.stderr + up.stdout).toBe(0);
    let nodes = readTestnetState(dir.path).nodes;
    expect(new Set(nodes.map((n) => n.host)).size).toBe(N);
    expect(nodes.every((n) => alive(n.pid))).toBe(true);

    const status = await runCli(["--json", ...g().slice(0, 1), "status", "--dir", dir.path]);
    expect(status.code, status.stderr).toBe(0);
    const rows = JSON.parse(status.stdout).nodes as Array<{
      alive: boolean;
      peers: string[];
      id: string;
    }>;
    expect(rows).toHaveLength(N);
    for (const [i, r] of rows.entries()) {
      expect(r.alive).toBe(true);
      // Its static neighbours; peer exchange may have added others by now.
      expect(r.peers).toEqual(expect.arrayContaining((nodes[i] as TestnetNodeInfo).neighbours));
    }

    // One message on one topic at node 0 reaches all 20.
    const first = await nodeApi<{ id: string }>(nodes[0] as TestnetNodeInfo, "POST", "/v1/gossip", {
      topic: "test.hello",
      body: "one",
    });
    await eventually(
      () => everyoneHas(nodes, "test.hello", first.id),
      20_000,
      "the first message at all nodes",
    );

    // A transaction submitted at one node reaches every node's mempool.
    const tx = await nodeApi<{ id: string }>(nodes[3] as TestnetNodeInfo, "POST", "/v1/tx", {
      kind: "kv",
      reads: [],
      writes: ["g"],
      ops: [{ op: "put", key: "g", value: "gossiped" }],
    });
    await eventually(
      async () => {
        const s = await Promise.all(
          nodes.map((n) => nodeApi<{ status: { state: string } }>(n, "GET", `/v1/tx/${tx.id}`)),
        );
        return s.every((x) => x.status.state !== "unknown");
      },
      20_000,
      "the transaction at every node",
    );

    // Churn: SIGKILL 5 nodes, bring them back, and gossip still reaches all 20.
    const victims = [2, 7, 11, 15, 19].map((i) => nodes[i] as TestnetNodeInfo);
    killPids(victims.map((v) => v.pid));
    await eventually(async () => victims.every((v) => !alive(v.pid)), 10_000, "victims to die");
    const again = await runCli(["testnet", "up", "--dir", dir.path], { timeoutMs: 120_000 });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(again.stdout).toContain("5 started");
    nodes = readTestnetState(dir.path).nodes;
    for (const v of victims) expect(nodes[v.index]?.pid).not.toBe(v.pid);
    const second = await nodeApi<{ id: string }>(
      nodes[0] as TestnetNodeInfo,
      "POST",
      "/v1/gossip",
      { topic: "test.hello", body: "two" },
    );
    await eventually(
      () => everyoneHas(nodes, "test.hello", second.id),
      20_000,
      "the second message at all nodes",
    );
    const third = await nodeApi<{ id: string }>(
      nodes[11] as TestnetNodeInfo,
      "POST",
      "/v1/gossip",
      { topic: "test.hello", body: "three" },
    );
    await eventually(
      () => everyoneHas(nodes, "test.hello", third.id),
      20_000,
      "a message from a restarted node at all nodes",
    );

    const down = await runCli(["testnet", "down", "--dir", dir.path], { timeoutMs: 60_000 });
    expect(down.code, down.stderr).toBe(0);
    expect(nodes.some((n) => alive(n.pid))).toBe(false);
  }, 300_000);
});
