import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { needs } from "../installers/support/tools";
import {
  eventually,
  killPids,
  nodeApi,
  type TestnetNodeInfo,
  useTestnet,
} from "../support/testnet";
import { randomRelease } from "../support/upgradeBench";
import { releaseKey } from "../support/upgradeRelease";

/**
 * Must-show 2 of the operator's issue: /metrics scraped during a testnet run has every
 * family an operator needs, each moving when what it counts happens, and promtool (from
 * Debian's prometheus package) finds nothing to report in it.
 */
const promtool = needs(["promtool", "prometheus"]);

async function scrape(node: TestnetNodeInfo): Promise<string> {
  const token = readFileSync(join(node.dir, "api.token"), "utf8").trim();
  const res = await fetch(`http://${node.host}:${node.apiPort}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** The sum of a family's samples whose labels contain `labels` (e.g. `type="prevote"`). */
function total(text: string, family: string, labels = ""): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z0-9_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== family || !(m[2] ?? "").includes(labels)) continue;
    sum += Number(m[3]);
  }
  return sum;
}

describe.skipIf(promtool.skip)(`metrics during a testnet run${promtool.why}`, () => {
  let key: ReturnType<typeof releaseKey>;
  const net = useTestnet({
    prefix: "anode-metrics-",
    nodes: 4,
    args: ["--validators", "4"],
    env: (dir) => {
      key = releaseKey(dir);
      return { ...key.env, ANODE_UPGRADE_POLICY: "notify" };
    },
  });

  it("has every family, each moves with what it counts, and promtool finds nothing wrong", async () => {
    const nodes = net.nodes();
    const [origin, watched, , stopped] = nodes as [
      TestnetNodeInfo,
      TestnetNodeInfo,
      TestnetNodeInfo,
      TestnetNodeInfo,
    ];
    const before = await scrape(watched);

    // Transactions, a release spreading, a peer refused, and a validator gone.
    for (let i = 0; i < 5; i++) {
      const r = await nodeApi<{ id?: string }>(origin, "POST", "/v1/tx", {
        kind: "kv",
        reads: [],
        writes: [`m${i}`],
        ops: [{ op: "put", key: `m${i}`, value: i }],
      });
      expect(r.id, JSON.stringify(r)).toBeDefined();
      const done = await nodeApi<{ status: { state: string } }>(
        origin,
        "GET",
        `/v1/tx/${r.id}?wait=20000`,
      );
      expect(done.status.state).toBe("committed");
    }
    const release = randomRelease(net.dir, { version: "9.0.0", size: 2 * 1024 * 1024, key });
    const published = await net.cli(origin, ["release", "publish", release.manifestFile], 60_000);
    expect(published.code, published.stderr).toBe(0);
    await eventually(
      async () => {
        const s = await nodeApi<{ releases: Array<{ version: string; status: string }> }>(
          watched,
          "GET",
          "/v1/upgrade/status",
        );
        return s.releases.some((r) => r.version === "9.0.0" && r.status === "verified");
      },
      60_000,
      "the release verified on the watched node",
    );
    const config = JSON.parse(readFileSync(join(watched.dir, "config.json"), "utf8")) as {
      p2p: { listen: string };
    };
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`ws://${config.p2p.listen}`);
      ws.on("open", () => ws.send(Buffer.from("not a frame")));
      ws.on("close", () => resolve());
      ws.on("error", () => resolve());
    });
    killPids([stopped.pid]);
    await eventually(
      async () => total(await scrape(watched), "anode_consensus_rounds_total") > 0,
      60_000,
      "a round that did not decide, with a validator gone",
    );
    const after = await scrape(watched);

    const moved: Array<[family: string, labels?: string]> = [
      ["anode_block_height"],
      ["anode_consensus_height"],
      ["anode_consensus_decided_total"],
      ["anode_consensus_rounds_total"],
      ["anode_consensus_messages_total", 'type="prevote"'],
      ["anode_consensus_messages_total", 'type="precommit"'],
      ["anode_consensus_commit_seconds_count"],
      ["anode_consensus_commit_seconds_sum"],
      ["anode_p2p_bytes_total", 'direction="in"'],
      ["anode_p2p_frames_total", 'direction="out"'],
      ["anode_p2p_refused_total"],
      ["anode_gossip_messages_total", 'kind="delivered"'],
      ["anode_mempool_transactions_total", 'outcome="accepted"'],
      ["anode_executor_blocks_total"],
      ["anode_upgrade_releases", 'state="verified"'],
      ["anode_upgrade_fetched_bytes_total"],
    ];
    for (const [family, labels] of moved) {
      expect(total(after, family, labels), `${family}{${labels ?? ""}}`).toBeGreaterThan(
        total(before, family, labels),
      );
    }
    // The peer that left: one link fewer.
    expect(total(after, "anode_p2p_peers")).toBeLessThan(total(before, "anode_p2p_peers"));
    for (const family of [
      "anode_consensus_divergences_total",
      "anode_consensus_halted",
      "anode_consensus_round",
      "anode_gossip_duplicates_total",
      "anode_gossip_validation_total",
      "anode_mempool_transactions",
      "anode_executor_backlog_blocks",
      "anode_upgrade_served_bytes_total",
      "anode_upgrade_bad_releases",
      "anode_upgrade_swaps_total",
      "anode_upgrade_rollbacks_total",
      "anode_engine_up",
      "anode_engine_mailbox_messages",
      "anode_supervisor_restarts_total",
    ]) {
      expect(after, family).toContain(`# TYPE ${family} `);
    }
    expect(after).toContain("# TYPE anode_consensus_commit_seconds histogram");
    expect(after).toContain("# TYPE anode_p2p_bytes_total counter");

    const check = spawnSync("promtool", ["check", "metrics"], { input: after, encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
  }, 180_000);
});
