import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/nodeProcess";
import {
  alive,
  eventually,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
  useTestnet,
} from "../support/testnet";
import { buildRelease, type ReleaseKey, releaseKey } from "../support/upgradeRelease";

const N = 20;
/** Transactions submitted while the release spreads, spread over the nodes. */
const LOAD_TXS = 120;

interface Status {
  running: string;
  current: string;
  lastGood: string;
  bad: Record<string, string>;
  releases: Array<{
    version: string;
    status: string;
    sources: Record<string, number>;
    note?: string;
  }>;
}

const status = (n: TestnetNodeInfo) => nodeApi<Status>(n, "GET", "/v1/upgrade/status");

describe(`over-the-air app releases on a ${N}-process testnet`, () => {
  let key: ReleaseKey;
  const net = useTestnet({
    prefix: "anode-upgrade-",
    nodes: N,
    env: (dir: string) => {
      key = releaseKey(dir);
      return { ...key.env, ANODE_UPGRADE_HEALTH_WINDOW_MS: "2000" };
    },
  });
  const dir = { path: net.dir };
  let nodes: TestnetNodeInfo[] = [];
  beforeAll(() => {
    nodes = net.nodes();
  });
  const cli = net.cli;

  it("spreads a signed release from one node to all, mostly peer to peer, and hot-swaps every node under load without losing or repeating a transaction", async () => {
    const manifest = await buildRelease(dir.path, {
      version: "0.2.0",
      fixture: "bumpMempool",
      key,
    });
    const publisher = nodes[0] as TestnetNodeInfo;
    const pids = nodes.map((n) => n.pid);

    // Bounded load: LOAD_TXS increments of one counter, submitted round-robin while the
    // release is published, fetched and swapped in.
    const ids: string[] = [];
    const load = (async () => {
      for (let i = 0; i < LOAD_TXS; i++) {
        const node = nodes[i % N] as TestnetNodeInfo;
        const r = await nodeApi<{ id: string }>(node, "POST", "/v1/tx", {
          kind: "kv",
          reads: ["n"],
          writes: ["n"],
          ops: [{ op: "increment", key: "n", by: 1 }],
          nonce: `load-${i}`,
        });
        ids.push(r.id);
        await new Promise((res) => setTimeout(res, 15));
      }
    })();
    const published = await cli(publisher, ["release", "publish", manifest]);
    expect(published.code, published.stderr).toBe(0);
    await load;

    await eventually(
      async () =>
        (await Promise.all(nodes.map(status))).every((s) =>
          s.releases.some((r) => r.version === "0.2.0" && r.status === "applied"),
        ),
      90_000,
      "release 0.2.0 applied and permanent at every node",
    );
    const all = await Promise.all(nodes.map(status));
    let fromPublisher = 0;
    let fromOthers = 0;
    for (const [i, s] of all.entries()) {
      expect(s.running).toBe("0.2.0");
      if (i === 0) continue;
      const sources = s.releases.find((r) => r.version === "0.2.0")?.sources ?? {};
      for (const [peer, count] of Object.entries(sources)) {
        if (peer === publisher.id) fromPublisher += count;
        else fromOthers += count;
      }
    }
    expect(
      fromOthers,
      `chunks from peers ${fromOthers}, from the publisher ${fromPublisher}`,
    ).toBeGreaterThan(fromPublisher);

    // Same processes: hot-swapped, not restarted.
    const after = readTestnetState(`${dir.path}/net`).nodes;
    expect(after.map((n) => n.pid)).toEqual(pids);
    for (const n of after) {
      expect(alive(n.pid)).toBe(true);
      expect((await nodeApi<{ pid: number }>(n, "GET", "/v1/status")).pid).toBe(n.pid);
    }

    // Every transaction committed once at every node: the counter is exactly LOAD_TXS.
    await eventually(
      async () => {
        const values = await Promise.all(
          nodes.map((n) => nodeApi<{ value?: number }>(n, "GET", "/v1/state/n")),
        );
        return values.every((v) => v.value === LOAD_TXS);
      },
      30_000,
      `the counter at ${LOAD_TXS} on every node`,
    );
    for (const n of [nodes[0], nodes[7], nodes[19]] as TestnetNodeInfo[]) {
      const statuses = await Promise.all(
        ids
          .slice(0, 20)
          .map((id) => nodeApi<{ status: { state: string } }>(n, "GET", `/v1/tx/${id}`)),
      );
      expect(statuses.every((s) => s.status.state === "committed")).toBe(true);
    }

    // The CLI shows the new version everywhere.
    for (const n of nodes) {
      const r = await cli(n, ["--json", "upgrade", "status"]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).running).toBe("0.2.0");
    }
  }, 240_000);

  it("keeps every node on the old version when a release's codeChange throws, marks it bad and keeps serving", async () => {
    const manifest = await buildRelease(dir.path, {
      version: "0.3.0",
      fixture: "throwingCodeChange",
      key,
    });
    const published = await cli(nodes[5] as TestnetNodeInfo, ["release", "publish", manifest]);
    expect(published.code, published.stderr).toBe(0);
    await eventually(
      async () => (await Promise.all(nodes.map(status))).every((s) => s.bad["0.3.0"] !== undefined),
      60_000,
      "release 0.3.0 marked bad at every node",
    );
    for (const s of await Promise.all(nodes.map(status))) {
      expect(s.running).toBe("0.2.0");
      expect(s.bad["0.3.0"]).toMatch(/codeChange always fails/);
      expect(s.releases.find((r) => r.version === "0.3.0")?.status).toBe("failed");
    }
    const tx = await cli(nodes[3] as TestnetNodeInfo, [
      "tx",
      "submit",
      "--put",
      "after=bad-release",
      "--wait",
    ]);
    expect(tx.code, tx.stderr).toBe(0);
  }, 120_000);
});

/**
 * Its own smaller testnet: every node must get the whole release before the first
 * crashes, so the nodes crash a few seconds after their swap (inside a longer health
 * window) rather than at once, and a slow node is never left without a peer to fetch from.
 */
describe("a release that crashes the node inside its health window", () => {
  const M = 6;
  let key: ReleaseKey;
  const net = useTestnet({
    prefix: "anode-upgrade-crash-",
    nodes: M,
    env: (dir: string) => {
      key = releaseKey(dir);
      return {
        ...key.env,
        ANODE_UPGRADE_HEALTH_WINDOW_MS: "15000",
        ANODE_TEST_CRASH_AFTER_MS: "4000",
      };
    },
  });
  const dir = { path: net.dir };
  let nodes: TestnetNodeInfo[] = [];
  beforeAll(() => {
    nodes = net.nodes();
  });
  const cli = net.cli;

  it("brings a node that crashed inside the health window back on the last good release, and refuses that release from then on", async () => {
    const manifest = await buildRelease(dir.path, {
      version: "0.4.0",
      fixture: "crashAfterSwap",
      key,
    });
    const lastGood = (await status(nodes[0] as TestnetNodeInfo)).running;
    const before = readTestnetState(`${dir.path}/net`).nodes;
    const published = await cli(nodes[0] as TestnetNodeInfo, ["release", "publish", manifest]);
    expect(published.code, published.stderr).toBe(0);
    await eventually(
      async () => before.every((n) => !alive(n.pid)),
      60_000,
      "every node to crash after the swap",
    );

    const up = await runCli(["testnet", "up", "--dir", `${dir.path}/net`], {
      env: net.env(),
      timeoutMs: 120_000,
    });
    expect(up.code, up.stderr + up.stdout).toBe(0);
    nodes = readTestnetState(`${dir.path}/net`).nodes;
    for (const s of await Promise.all(nodes.map(status))) {
      expect(s.running).toBe(lastGood);
      expect(s.bad["0.4.0"]).toMatch(/crashed or was stopped during its health window/);
    }
    const again = await cli(nodes[0] as TestnetNodeInfo, ["release", "publish", manifest]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/marked bad/);
    const tx = await cli(nodes[M - 1] as TestnetNodeInfo, [
      "tx",
      "submit",
      "--put",
      "after=crash",
      "--wait",
    ]);
    expect(tx.code, tx.stderr).toBe(0);
  }, 240_000);
});
