import { expect, it } from "vitest";
import { benchFigure } from "../support/benchFigure";
import { kernelHasNetem } from "../support/netem";
import { type NodeProcess, startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";
import { eventually, nodeApi, type TestnetNodeInfo, withTestnet } from "../support/testnet";

const LATENCY_TXS = 40;
const LOAD_TXS = 4000;
const BATCH = 200;

type Api = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<T>;

const put = (i: number, tag: string) => ({
  kind: "kv",
  reads: [],
  writes: [`${tag}${i}`],
  ops: [{ op: "put", key: `${tag}${i}`, value: i }],
  nonce: `${tag}-${i}`,
});

/** Submit one transaction at a time and time submit -> committed. */
async function latencies(api: Api, tag: string, count = LATENCY_TXS): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const { id } = await api<{ id: string }>("POST", "/v1/tx", put(i, tag));
    const r = await api<{ status: { state: string } }>("GET", `/v1/tx/${id}?wait=30000`);
    expect(r.status.state).toBe("committed");
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

/** Submit LOAD_TXS in batches and time until the last is committed. */
async function throughput(api: Api, tag: string): Promise<number> {
  const t0 = performance.now();
  let last = "";
  for (let b = 0; b < LOAD_TXS; b += BATCH) {
    const txs = Array.from({ length: BATCH }, (_, j) => put(b + j, tag));
    const { results } = await api<{ results: Array<{ id: string }> }>("POST", "/v1/tx", { txs });
    last = (results[results.length - 1] as { id: string }).id;
  }
  const r = await api<{ status: { state: string } }>("GET", `/v1/tx/${last}?wait=120000`);
  expect(r.status.state).toBe("committed");
  return (LOAD_TXS / (performance.now() - t0)) * 1000;
}

const q = (xs: number[], p: number) =>
  xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;

it("4 validators on loopback vs the single-node pipeline", async () => {
  // Single node, cutting its own blocks every 200 ms (the default).
  const single = tempDir("anode-bench-");
  let node: NodeProcess | undefined;
  let singleLat: number[] = [];
  let singleTps = 0;
  try {
    const apiPort = await freePort();
    node = await startNodeProcess(["--data-dir", single.path, "--api-port", String(apiPort)]);
    const n: TestnetNodeInfo = {
      index: 0,
      id: "",
      host: "127.0.0.1",
      apiPort,
      dir: single.path,
      pid: node.pid,
      neighbours: [],
    };
    const api: Api = (method, path, body) => nodeApi(n, method, path, body);
    singleLat = await latencies(api, "s");
    singleTps = await throughput(api, "S");
  } finally {
    await node?.stop();
    single.remove();
  }

  const args = ["--validators", "4"];
  await withTestnet({ prefix: "anode-bench-", nodes: 4, args }, async (nodes) => {
    const first = nodes[0] as TestnetNodeInfo;
    const api: Api = (method, path, body) => nodeApi(first, method, path, body);
    await eventually(
      async () =>
        ((await api<{ storage: { height: number } }>("GET", "/v1/status")).storage.height ?? 0) > 2,
      30_000,
      "first commits",
    );
    const lat = await latencies(api, "c");
    const tps = await throughput(api, "C");
    console.log(
      `single node: commit latency p50 ${q(singleLat, 0.5).toFixed(0)} ms, p99 ${q(singleLat, 0.99).toFixed(0)} ms; ${singleTps.toFixed(0)} tx/s`,
    );
    console.log(
      `4 validators: commit latency p50 ${q(lat, 0.5).toFixed(0)} ms, p99 ${q(lat, 0.99).toFixed(0)} ms; ${tps.toFixed(0)} tx/s`,
    );
    benchFigure("consensus 4 validators tx/s / single node", tps / singleTps, "higher");
    console.log(
      `BENCH consensus p50 latency ÷ single-node p50 latency: ${(q(lat, 0.5) / q(singleLat, 0.5)).toFixed(2)} (goal <= 3)`,
    );
  });
}, 600_000);

/** Commit latency of one transaction at a time on an n-node testnet, all validators. */
function testnetLatency(n: number, extra: string[]): Promise<number[]> {
  const args = ["--validators", String(n), "--timeout", "300000", ...extra];
  return withTestnet(
    { prefix: "anode-bench-", nodes: n, args, timeoutMs: 320_000 },
    async (nodes) => {
      const api: Api = (method, path, body) =>
        nodeApi(nodes[0] as TestnetNodeInfo, method, path, body);
      await eventually(
        async () =>
          ((await api<{ storage: { height: number } }>("GET", "/v1/status")).storage.height ?? 0) >
          2,
        300_000,
        `first commits of ${n} validators`,
      );
      // Fewer at 50: each is a height of 50 validators on two cores.
      return latencies(api, `l${n}`, n > 10 ? 10 : LATENCY_TXS);
    },
  );
}

it("commit latency at 4 and at 50 validators, with and without link delay", async () => {
  const rows: string[] = [];
  const runs: Array<[string, number, string[]]> = [
    ["loopback", 4, []],
    ["loopback", 50, []],
  ];
  const netns = process.platform === "linux" && process.getuid?.() === 0;
  if (netns && kernelHasNetem())
    runs.push(
      ["netns, 50 ms delay", 4, ["--netns", "--delay", "50"]],
      ["netns, 50 ms delay", 50, ["--netns", "--delay", "50"]],
    );
  else
    rows.push(
      `link delay runs not made: ${netns ? "this kernel has no netem (CONFIG_NET_SCH_NETEM)" : "--netns needs root on Linux"}`,
    );
  const results: Record<string, number> = {};
  for (const [net, n, extra] of runs) {
    const lat = await testnetLatency(n, extra);
    results[`${net}/${n}`] = q(lat, 0.5);
    rows.push(
      `${n} validators (${net}): commit latency p50 ${q(lat, 0.5).toFixed(0)} ms, p99 ${q(lat, 0.99).toFixed(0)} ms`,
    );
  }
  for (const r of rows) console.log(r);
  console.log(
    `BENCH consensus p50 latency 50 ÷ 4 validators (loopback): ${((results["loopback/50"] as number) / (results["loopback/4"] as number)).toFixed(2)}`,
  );
}, 1_800_000);
