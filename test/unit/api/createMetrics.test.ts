import { describe, expect, it } from "vitest";
import { createMetrics, type NodeInfo } from "../../../src/api";
import type { Mailer } from "../../../src/runtime";

function info(
  engines: NodeInfo["engines"],
  restartsByChild: Record<string, number> = {},
): NodeInfo {
  return {
    version: "0.0.0",
    nodeId: "node-under-test",
    networkId: "test",
    p2pListen: "127.0.0.1:0",
    pid: 1,
    dataDir: "/nowhere",
    startedAt: 0,
    restarts: Object.values(restartsByChild).reduce((a, b) => a + b, 0),
    restartsByChild,
    engines,
  };
}

/** A mailer that answers each engine's status call from a fixed reply. */
function mailer(replies: Record<string, unknown>): Mailer & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async call(to, msg) {
      asked.push(`${to.engine}:${(msg as { type: string }).type}`);
      if (!(to.engine in replies)) throw new Error(`no engine ${to.engine}`);
      return replies[to.engine];
    },
    cast() {},
    send() {},
  };
}

const engine = (name: string, status = "running", mailbox = 0) => ({
  name,
  version: "1.0.0",
  status,
  mailbox,
});

const transport = {
  peers: 3,
  meshPeers: 2,
  framesIn: 10,
  framesOut: 11,
  bytesIn: 1000,
  bytesOut: 2000,
  rejected: { frame_auth_failed: 1 },
  duplicateConnections: 0,
  direct: { sent: 4, received: 5, dropped: 1 },
  gossip: { published: 6, delivered: 7, forwarded: 8, dropped: 0, served: 1, duplicates: 9 },
  validation: { accepted: 2, rejected: 1, ignored: 0, timedOut: 0, overflow: 0 },
  routerDropped: 2,
};

const chain = {
  chainId: "chain-0",
  height: 9,
  round: 1,
  halted: "halted at height 9: needs release 0.2.0 (upgrade needed)",
  stats: { decided: 8, diverged: 2, evidence: 0 },
  metrics: {
    rounds: 3,
    messages: { proposal: 8, prevote: 30, precommit: 31 },
    commitSeconds: { counts: [0, 1, 2, 3, 0, 0, 0, 0, 0, 1], sum: 40.5, count: 8 },
  },
};

const upgrade = {
  releases: [
    {
      version: "0.2.0",
      status: "fetching",
      sources: { peerA: 3, peerB: 1 },
      artifacts: [{ size: 4000 }],
      chunks: { total: 4 },
    },
    { version: "0.1.1", status: "applied", sources: {}, artifacts: [], chunks: { total: 0 } },
  ],
  served: { bytes: 5000, pieces: 2 },
  counts: { swaps: 3, rollbacks: 1 },
  bad: { "0.1.2": "rolled back" },
};

describe("createMetrics()", () => {
  it("reads every family from the engines at scrape time, each engine once", async () => {
    const m = mailer({
      storage: { height: 12, root: "00" },
      mempool: { pending: 3, inFlight: 2, accepted: 9, rejected: 1, duplicates: 4, committed: 5 },
      executor: { blocks: 12, running: undefined, backlog: 1 },
      transport,
      consensus: chain,
      upgrade,
    });
    const register = createMetrics(m, () =>
      info([engine("mempool", "running", 4), engine("consensus"), engine("executor", "exited")], {
        tx: 2,
      }),
    );
    expect(m.asked).toEqual([]);
    const text = await register.metrics();
    expect(m.asked.sort()).toEqual([
      "consensus:status",
      "executor:stats",
      "mempool:stats",
      "storage:status",
      "transport:stats",
      "upgrade:status",
    ]);
    const lines = text.split("\n");
    for (const line of [
      "anode_block_height 12",
      'anode_mempool_transactions{state="pending"} 3',
      'anode_mempool_transactions_total{outcome="committed"} 5',
      "anode_executor_blocks_total 12",
      "anode_executor_backlog_blocks 1",
      'anode_supervisor_restarts_total{child="tx"} 2',
      'anode_engine_up{engine="mempool",version="1.0.0"} 1',
      'anode_engine_up{engine="executor",version="1.0.0"} 0',
      'anode_engine_mailbox_messages{engine="mempool"} 4',
      'anode_consensus_height{chain="chain-0"} 9',
      'anode_consensus_halted{chain="chain-0"} 1',
      'anode_consensus_rounds_total{chain="chain-0"} 3',
      'anode_consensus_messages_total{chain="chain-0",type="prevote"} 30',
      'anode_consensus_divergences_total{chain="chain-0"} 2',
      'anode_consensus_commit_seconds_bucket{chain="chain-0",le="0.1"} 1',
      'anode_consensus_commit_seconds_bucket{chain="chain-0",le="0.5"} 6',
      'anode_consensus_commit_seconds_bucket{chain="chain-0",le="+Inf"} 8',
      'anode_consensus_commit_seconds_sum{chain="chain-0"} 40.5',
      'anode_consensus_commit_seconds_count{chain="chain-0"} 8',
      "anode_p2p_peers 3",
      'anode_p2p_bytes_total{direction="out"} 2000',
      'anode_p2p_refused_total{reason="frame_auth_failed"} 1',
      'anode_p2p_direct_messages_total{result="dropped"} 3',
      'anode_gossip_messages_total{kind="delivered"} 7',
      "anode_gossip_duplicates_total 9",
      'anode_gossip_validation_total{verdict="rejected"} 1',
      'anode_upgrade_releases{state="fetching"} 1',
      'anode_upgrade_releases{state="applied"} 1',
      'anode_upgrade_fetched_bytes_total{source="peerA"} 3000',
      "anode_upgrade_served_bytes_total 5000",
      "anode_upgrade_swaps_total 3",
      "anode_upgrade_rollbacks_total 1",
      "anode_upgrade_bad_releases 1",
    ])
      expect(lines, line).toContain(line);
    expect(text).toContain("# TYPE anode_consensus_commit_seconds histogram");
    expect(text).toContain("# TYPE anode_p2p_bytes_total counter");
    expect(text).not.toMatch(/anode_nodejs_active_handles_total/);
  });

  it("leaves out what an engine does not answer, and engines that are gone", async () => {
    let engines: NodeInfo["engines"] = [engine("old")];
    const register = createMetrics(mailer({}), () => info(engines));
    expect(await register.metrics()).toContain('anode_engine_up{engine="old",version="1.0.0"} 1');
    engines = [];
    await new Promise((r) => setTimeout(r, 600));
    const text = await register.metrics();
    expect(text).not.toMatch(/^anode_mempool_transactions\{/m);
    expect(text).not.toMatch(/^anode_consensus_height\{/m);
    expect(text).not.toContain('engine="old"');
    expect(text).toMatch(/^# HELP anode_block_height Height of the last committed block$/m);
  });
});
