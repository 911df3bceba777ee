import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { expect, it } from "vitest";
import { chainOf, putLoad } from "../support/activationNet";
import { runCli } from "../support/nodeProcess";
import {
  alive,
  eventually,
  killPids,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
  withTestnet,
} from "../support/testnet";

// Issue 13, must-show 3: a testnet of 100 real node processes, 50 of them validators, on
// this one machine, committing under a bounded load; a validator SIGKILLed mid-round and
// restarted comes back and the chain goes on. Heavy (minutes, all cores): a benchmark,
// outside CI. Sizes: ANODE_SCALE_NODES, ANODE_SCALE_VALIDATORS.
const NODES = Number(process.env.ANODE_SCALE_NODES ?? 100);
const VALIDATORS = Number(process.env.ANODE_SCALE_VALIDATORS ?? 50);
const LOAD = 300;

const rssMb = (pid: number | null) => {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return Number(kb) / 1024;
  } catch {
    return 0;
  }
};

it(`${NODES} nodes, ${VALIDATORS} validators on one machine`, async () => {
  const t0 = performance.now();
  const args = ["--validators", String(VALIDATORS), "--timeout", "600000"];
  await withTestnet(
    { prefix: "anode-scale-", nodes: NODES, args, timeoutMs: 620_000 },
    async (nodes, net) => {
      const upMs = performance.now() - t0;
      const last = nodes[NODES - 1] as TestnetNodeInfo;
      await eventually(
        async () => ((await chainOf(last).catch(() => undefined))?.committedHeight ?? 0) >= 3,
        600_000,
        "height 3 on the last node",
      );
      const h0 = (await chainOf(last)).committedHeight;
      const t1 = performance.now();
      // A bounded load spread over 20 nodes; every acknowledged one must commit everywhere.
      const load = putLoad(nodes.slice(0, 20), { everyMs: 20, max: LOAD });
      await eventually(
        async () => load.acked.length + load.refused.length >= LOAD,
        600_000,
        `${LOAD} transactions sent`,
      );
      await load.stop();
      const latencies: number[] = [];
      // Each committed where it was acknowledged, then known as committed on the last node
      // (which hears of a transaction only with its block: until then it is "unknown").
      const state = async (n: TestnetNodeInfo, id: string, wait: number) =>
        (await nodeApi<{ status?: { state: string } }>(n, "GET", `/v1/tx/${id}?wait=${wait}`))
          .status?.state;
      for (const id of load.acked) {
        const origin = load.origin.get(id) as TestnetNodeInfo;
        // A transaction reaches a proposer by gossip, or waits for its own node's turn to
        // propose (every 50th height): minutes on a machine this loaded.
        await eventually(
          async () => (await state(origin, id, 120_000)) === "committed",
          300_000,
          `transaction ${id} committed on the node that took it`,
        );
        await eventually(
          async () => (await state(last, id, 0)) === "committed",
          120_000,
          `transaction ${id} committed on the last node`,
        );
      }
      const h1 = (await chainOf(last)).committedHeight;
      const seconds = (performance.now() - t1) / 1000;
      for (let i = 0; i < 10; i++) {
        const s0 = performance.now();
        const { id } = await nodeApi<{ id: string }>(
          nodes[i] as TestnetNodeInfo,
          "POST",
          "/v1/tx",
          {
            kind: "kv",
            reads: [],
            writes: [`lat-${i}`],
            ops: [{ op: "put", key: `lat-${i}`, value: i }],
          },
        );
        // Timed where it was submitted: the last node knows of it only once committed.
        await eventually(
          async () => (await state(nodes[i] as TestnetNodeInfo, id, 120_000)) === "committed",
          300_000,
          `latency transaction ${i} committed`,
        );
        latencies.push(performance.now() - s0);
      }
      latencies.sort((a, b) => a - b);

      // A validator killed mid-round comes back from its record; the chain goes on.
      const victim = nodes[7] as TestnetNodeInfo;
      killPids([victim.pid]);
      await eventually(async () => !alive(victim.pid), 10_000, "the validator stopped");
      const again = await runCli(["testnet", "up", "--dir", net], { timeoutMs: 300_000 });
      expect(again.code, again.stderr).toBe(0);
      const back = readTestnetState(net).nodes[7] as TestnetNodeInfo;
      const before = (await chainOf(last)).committedHeight;
      await eventually(
        async () =>
          ((await chainOf(back).catch(() => undefined))?.committedHeight ?? 0) >= before + 2 &&
          (await chainOf(last)).committedHeight >= before + 2,
        300_000,
        "the restarted validator and the chain two heights on",
      );
      const status = await nodeApi<{ signing: string; stats: { evidence: number } }>(
        last,
        "GET",
        "/v1/chain",
      );
      const rss = readTestnetState(net).nodes.map((n) => rssMb(n.pid));
      console.log(
        `${NODES} nodes (${VALIDATORS} validators): up in ${(upMs / 1000).toFixed(0)} s; ${h1 - h0} heights in ${seconds.toFixed(0)} s under ${load.acked.length} transactions (${((h1 - h0) / seconds).toFixed(2)} heights/s); commit latency p50 ${latencies[5]?.toFixed(0)} ms, max ${latencies[9]?.toFixed(0)} ms; equivocation evidence ${status.stats.evidence}; RSS per node median ${rss.sort((a, b) => a - b)[rss.length >> 1]?.toFixed(0)} MB; load average ${loadavg()[0]?.toFixed(1)}`,
      );
      expect(status.stats.evidence).toBe(0);
    },
  );
}, 3_600_000);
