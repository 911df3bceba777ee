import { describe, expect, it } from "vitest";
import { runCli } from "../support/nodeProcess";
import {
  alive,
  eventually,
  killPids,
  nodeApi,
  type TestnetNodeInfo,
  useTestnet,
} from "../support/testnet";

interface Status {
  storage: { height: number; root: string };
}

const put = (key: string, value: string) => ({
  kind: "kv",
  reads: [],
  writes: [key],
  ops: [{ op: "put", key, value }],
  nonce: `${key}-${Math.random()}`,
});

async function height(n: TestnetNodeInfo): Promise<number> {
  return (await nodeApi<Status>(n, "GET", "/v1/status")).storage.height;
}

async function rootAt(n: TestnetNodeInfo, h: number): Promise<string> {
  return (await nodeApi<{ root: string }>(n, "GET", `/v1/root?at=${h}`)).root;
}

/** Every node's state root at every height up to `upTo` is the same. */
async function expectSameRoots(nodes: TestnetNodeInfo[], upTo: number): Promise<void> {
  for (let h = 1; h <= upTo; h++) {
    const roots = await Promise.all(nodes.map((n) => rootAt(n, h)));
    expect(new Set(roots).size, `roots at height ${h}: ${roots.join(", ")}`).toBe(1);
  }
}

async function committedEverywhere(nodes: TestnetNodeInfo[], id: string): Promise<boolean> {
  const s = await Promise.all(
    nodes.map((n) => nodeApi<{ status: { state: string } }>(n, "GET", `/v1/tx/${id}`)),
  );
  return s.every((x) => x.status.state === "committed");
}

describe("consensus on a 7-node testnet with 4 validators (real processes)", () => {
  const net = useTestnet({ prefix: "anode-consensus-", nodes: 7, args: ["--validators", "4"] });

  it("commits what any node receives, with identical roots; tolerates one dead validator, halts safely at two, recovers", async () => {
    let nodes = net.nodes();

    // 1. Transactions submitted to any of the 7 nodes are committed everywhere.
    const ids: string[] = [];
    for (let i = 0; i < 14; i++) {
      const n = nodes[i % 7] as TestnetNodeInfo;
      const r = await nodeApi<{ id: string }>(n, "POST", "/v1/tx", put(`k${i}`, `v${i}`));
      ids.push(r.id);
    }
    for (const id of ids)
      await eventually(() => committedEverywhere(nodes, id), 30_000, `tx ${id} on all 7 nodes`);
    const reached = Math.min(...(await Promise.all(nodes.map(height))));
    await expectSameRoots(nodes, reached);
    for (const n of nodes)
      expect((await nodeApi<{ value: string }>(n, "GET", "/v1/state/k13")).value).toBe("v13");

    // 2a. One validator down: commits continue.
    const [v1, v2] = [nodes[1] as TestnetNodeInfo, nodes[2] as TestnetNodeInfo];
    killPids([v1.pid]);
    await eventually(async () => !alive(v1.pid), 10_000, "validator 1 to die");
    const live = () => nodes.filter((n) => n.index !== 1 && n.index !== 2 && alive(n.pid));
    const afterOne = await nodeApi<{ id: string }>(
      nodes[0] as TestnetNodeInfo,
      "POST",
      "/v1/tx",
      put("one-down", "yes"),
    );
    await eventually(
      () => committedEverywhere([...live(), v2], afterOne.id),
      40_000,
      "a commit with one validator down",
    );

    // 2b. A second validator down: no quorum, commits stop, and nothing conflicting is committed.
    killPids([v2.pid]);
    await eventually(async () => !alive(v2.pid), 10_000, "validator 2 to die");
    await new Promise((r) => setTimeout(r, 1500));
    const stalled = await nodeApi<{ id: string }>(
      nodes[3] as TestnetNodeInfo,
      "POST",
      "/v1/tx",
      put("two-down", "waits"),
    );
    const before = await Promise.all(live().map(height));
    await new Promise((r) => setTimeout(r, 4000));
    const after = await Promise.all(live().map(height));
    expect(after).toEqual(before);
    expect(
      (
        await nodeApi<{ status: { state: string } }>(
          nodes[3] as TestnetNodeInfo,
          "GET",
          `/v1/tx/${stalled.id}`,
        )
      ).status.state,
    ).not.toBe("committed");
    await expectSameRoots(live(), Math.min(...after));

    // 3. Both back: commits resume, the stalled transaction commits, the restarted catch up.
    const again = await runCli(["testnet", "up", "--dir", net.net], { timeoutMs: 120_000 });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    nodes = net.refresh();
    await eventually(
      () => committedEverywhere(nodes, stalled.id),
      60_000,
      "the stalled transaction on all 7 nodes",
    );
    const final = Math.min(...(await Promise.all(nodes.map(height))));
    expect(final).toBeGreaterThan(Math.max(...after));
    await expectSameRoots(nodes, final);

    const chain = await runCli([
      "--json",
      "--config",
      `${(nodes[5] as TestnetNodeInfo).dir}/config.json`,
      "chain",
      "status",
    ]);
    expect(chain.code, chain.stderr).toBe(0);
    expect(JSON.parse(chain.stdout)).toMatchObject({ chainId: "chain-0", validator: false });
  }, 400_000);
});

describe("two chains on one 8-node network (real processes)", () => {
  // chain-0 is validated by nodes 0-4, chain-1 by nodes 4-7 and 0: nodes 0 and 4 validate both.
  const net = useTestnet({
    prefix: "anode-chains-",
    nodes: 8,
    args: ["--validators", "5", "--chains", "2"],
  });

  it("each chain commits independently with its own validators; a node validating both applies both", async () => {
    const nodes = net.nodes();
    const onChain =
      (chain: string) =>
      <T = Record<string, unknown>>(
        n: TestnetNodeInfo,
        method: string,
        path: string,
        body?: unknown,
      ): Promise<T> =>
        nodeApi<T>(n, method, `${path}${path.includes("?") ? "&" : "?"}chain=${chain}`, body);
    const c1 = onChain("chain-1");

    const a = await nodeApi<{ id: string }>(
      nodes[1] as TestnetNodeInfo,
      "POST",
      "/v1/tx",
      put("only0", "zero"),
    );
    const b = await c1<{ id: string }>(
      nodes[6] as TestnetNodeInfo,
      "POST",
      "/v1/tx",
      put("only1", "one"),
    );
    await eventually(
      () => committedEverywhere(nodes, a.id),
      30_000,
      "the chain-0 transaction everywhere",
    );
    await eventually(
      async () => {
        const s = await Promise.all(
          nodes.map((n) => c1<{ status: { state: string } }>(n, "GET", `/v1/tx/${b.id}`)),
        );
        return s.every((x) => x.status.state === "committed");
      },
      30_000,
      "the chain-1 transaction everywhere",
    );
    for (const n of [nodes[0], nodes[4], nodes[7]] as TestnetNodeInfo[]) {
      expect((await nodeApi<{ value?: string }>(n, "GET", "/v1/state/only0")).value).toBe("zero");
      expect((await nodeApi<{ found: boolean }>(n, "GET", "/v1/state/only1")).found).toBe(false);
      expect((await c1<{ value?: string }>(n, "GET", "/v1/state/only1")).value).toBe("one");
      expect((await c1<{ found: boolean }>(n, "GET", "/v1/state/only0")).found).toBe(false);
    }
    const status0 = await nodeApi<{ validator: boolean; chainId: string }>(
      nodes[4] as TestnetNodeInfo,
      "GET",
      "/v1/chain",
    );
    const status1 = await c1<{ validator: boolean; chainId: string }>(
      nodes[4] as TestnetNodeInfo,
      "GET",
      "/v1/chain",
    );
    expect([status0, status1]).toMatchObject([
      { chainId: "chain-0", validator: true },
      { chainId: "chain-1", validator: true },
    ]);
    // Per chain, every node's state root is the same at every height.
    const h1 = Math.min(
      ...(await Promise.all(
        nodes.map(async (n) => (await c1<Status>(n, "GET", "/v1/status")).storage.height),
      )),
    );
    for (let h = 1; h <= h1; h++) {
      const roots = await Promise.all(
        nodes.map(async (n) => (await c1<{ root: string }>(n, "GET", `/v1/root?at=${h}`)).root),
      );
      expect(new Set(roots).size, `chain-1 roots at height ${h}`).toBe(1);
    }
    await expectSameRoots(nodes, Math.min(...(await Promise.all(nodes.map(height)))));
  }, 300_000);
});
