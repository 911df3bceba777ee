import { describe, expect, it } from "vitest";
import { runCli } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import {
  alive,
  eventually,
  killPids,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
  useTestnetDir,
} from "../support/testnet";
import { buildRelease, releaseKey } from "../support/upgradeRelease";

interface Status {
  running: string;
  releases: Array<{ version: string; status: string; sources: Record<string, number> }>;
}

const status = (n: TestnetNodeInfo) => nodeApi<Status>(n, "GET", "/v1/upgrade/status");
const applied = async (n: TestnetNodeInfo, version: string) =>
  (await status(n)).releases.some((r) => r.version === version && r.status === "applied");

describe("a node that was down while a release spread", () => {
  const { dir, net } = useTestnetDir("anode-upgrade-catchup-");

  it("hears of it from a peer when it reconnects, fetches it from its peers and applies it", async () => {
    const key = releaseKey(dir);
    const env = { ...key.env, ANODE_UPGRADE_HEALTH_WINDOW_MS: "1000" };
    const basePort = await freePort("127.0.0.2");
    const up = await runCli(
      ["testnet", "up", "-n", "3", "--degree", "2", "--dir", net, "--base-port", String(basePort)],
      {
        env,
        timeoutMs: 120_000,
      },
    );
    expect(up.code, up.stderr + up.stdout).toBe(0);
    let nodes = readTestnetState(net).nodes;
    const away = nodes[2] as TestnetNodeInfo;
    killPids([away.pid]);
    await eventually(async () => !alive(away.pid), 10_000, "node 2 to die");

    const manifest = await buildRelease(dir, {
      version: "0.2.0",
      fixture: "bumpMempool",
      key,
    });
    const publisher = nodes[0] as TestnetNodeInfo;
    const published = await runCli(
      ["--config", `${publisher.dir}/config.json`, "release", "publish", manifest],
      { env },
    );
    expect(published.code, published.stderr).toBe(0);
    for (const n of nodes.slice(0, 2))
      await eventually(() => applied(n, "0.2.0"), 60_000, `0.2.0 applied at node ${n.index}`);

    // Nobody republishes: node 2 must learn of the release from a peer when it reconnects.
    const back = await runCli(["testnet", "up", "--dir", net], { env, timeoutMs: 120_000 });
    expect(back.code, back.stderr + back.stdout).toBe(0);
    nodes = readTestnetState(net).nodes;
    const returned = nodes[2] as TestnetNodeInfo;
    await eventually(
      () => applied(returned, "0.2.0"),
      60_000,
      "0.2.0 applied at the node that was away",
    );
    const s = await status(returned);
    expect(s.running).toBe("0.2.0");
    const sources = s.releases.find((r) => r.version === "0.2.0")?.sources ?? {};
    expect(Object.values(sources).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 240_000);
});
