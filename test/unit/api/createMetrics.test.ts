import { describe, expect, it } from "vitest";
import { createMetrics, type NodeInfo } from "../../../src/api";
import type { Mailer } from "../../../src/runtime";

function info(engines: NodeInfo["engines"], restarts = 0): NodeInfo {
  // Built apart from the return so that fields a NodeInfo may not (yet) have are allowed.
  const value = {
    version: "0.0.0",
    nodeId: "node-under-test",
    networkId: "test",
    p2pListen: "127.0.0.1:0",
    pid: 1,
    dataDir: "/nowhere",
    startedAt: 0,
    restarts,
    engines,
  };
  return value;
}

/** A mailer that answers storage and mempool status calls from fixed replies. */
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

describe("createMetrics()", () => {
  it("reads height, pipeline stages, restarts and engines from the node at scrape time", async () => {
    const m = mailer({
      storage: { height: 12, root: "00" },
      mempool: { pending: 3, inFlight: 2, accepted: 9, rejected: 1, duplicates: 4, committed: 5 },
    });
    const register = createMetrics(m, () =>
      info(
        [
          { name: "mempool", version: "1.0.0", status: "running" },
          { name: "executor", version: "2.0.0", status: "exited" },
        ],
        7,
      ),
    );
    expect(m.asked).toEqual([]);
    const text = await register.metrics();
    expect(m.asked.sort()).toEqual([
      "consensus:status",
      "consensus:status",
      "mempool:stats",
      "storage:status",
    ]);
    for (const line of [
      "anode_block_height 12",
      'anode_transactions{stage="pending"} 3',
      'anode_transactions{stage="in_flight"} 2',
      'anode_transactions{stage="accepted"} 9',
      'anode_transactions{stage="rejected"} 1',
      'anode_transactions{stage="duplicate"} 4',
      'anode_transactions{stage="committed"} 5',
      "anode_supervisor_restarts 7",
      'anode_engine_up{engine="mempool",version="1.0.0"} 1',
      'anode_engine_up{engine="executor",version="2.0.0"} 0',
    ])
      expect(text.split("\n")).toContain(line);
  });

  it("leaves out what an engine does not answer, and engines that are gone", async () => {
    let engines: NodeInfo["engines"] = [{ name: "old", version: "1.0.0", status: "running" }];
    const register = createMetrics(mailer({}), () => info(engines));
    expect(await register.metrics()).toContain('anode_engine_up{engine="old",version="1.0.0"} 1');
    engines = [];
    const text = await register.metrics();
    expect(text).not.toMatch(/^anode_transactions\{/m);
    expect(text).not.toContain('engine="old"');
    expect(text).toMatch(/^# HELP anode_block_height Height of the last committed block$/m);
  });

  it("counts divergences and shows a halted chain, from consensus's status", async () => {
    const m = mailer({
      storage: { height: 3, root: "00" },
      mempool: { pending: 0, inFlight: 0, accepted: 0, rejected: 0, duplicates: 0, committed: 0 },
      consensus: {
        chainId: "chain-0",
        halted: "halted at height 9: needs release 0.2.0 (upgrade needed)",
        stats: { diverged: 2 },
      },
    });
    const text = await createMetrics(m, () => info([])).metrics();
    expect(text).toContain("# TYPE anode_consensus_divergences_total counter");
    expect(text).toContain('anode_consensus_divergences_total{chain="chain-0"} 2');
    expect(text).toContain('anode_consensus_halted{chain="chain-0"} 1');
  });
});
