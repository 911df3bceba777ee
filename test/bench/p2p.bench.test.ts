import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { type NodeProcess, runCli, startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";
import {
  eventually,
  killPids,
  nodeApi,
  readTestnetState,
  type TestnetNodeInfo,
} from "../support/testnet";

const CALLS = 20_000;
const WINDOW = 128;

/** Raw ws between two processes: an echo server and a client keeping WINDOW messages in flight. */
async function wsEcho(): Promise<number> {
  const port = await freePort();
  const wsPath = require.resolve("ws");
  const server = spawn(process.execPath, [
    "-e",
    `const { WebSocketServer } = require(${JSON.stringify(wsPath)});
     const s = new WebSocketServer({ host: "127.0.0.1", port: ${port}, perMessageDeflate: false });
     s.on("connection", (ws) => ws.on("message", (d) => ws.send(d)));
     s.on("listening", () => console.log("ready"));`,
  ]);
  await new Promise<void>((r) =>
    server.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && r()),
  );
  const client = spawn(process.execPath, [
    "-e",
    `const WebSocket = require(${JSON.stringify(wsPath)});
     const ws = new WebSocket("ws://127.0.0.1:${port}", { perMessageDeflate: false });
     const payload = Buffer.alloc(48, 1);
     let sent = 0, got = 0, t0;
     ws.on("open", () => { t0 = performance.now(); for (let i = 0; i < ${WINDOW}; i++) { ws.send(payload); sent++; } });
     ws.on("message", () => {
       got++;
       if (sent < ${CALLS}) { ws.send(payload); sent++; }
       if (got === ${CALLS}) { console.log(JSON.stringify({ perSecond: got / (performance.now() - t0) * 1000 })); process.exit(0); }
     });`,
  ]);
  let out = "";
  client.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  await new Promise((r) => client.once("exit", r));
  server.kill();
  return (JSON.parse(out) as { perSecond: number }).perSecond;
}

it("p2p remote calls per second between two node processes vs raw ws echo", async () => {
  const dirA = tempDir("anode-bench-");
  const dirB = tempDir("anode-bench-");
  let a: NodeProcess | undefined;
  let b: NodeProcess | undefined;
  try {
    const p2pB = `127.0.0.1:${await freePort()}`;
    const apiA = await freePort();
    b = await startNodeProcess(["--data-dir", dirB.path, "--api-port", String(await freePort())], {
      env: { ANODE_P2P_LISTEN: p2pB },
    });
    a = await startNodeProcess(["--data-dir", dirA.path, "--api-port", String(apiA)], {
      env: { ANODE_P2P_PEERS: JSON.stringify([{ address: p2pB }]) },
    });
    const idB = (await runCli(["--data-dir", dirB.path, "id"])).stdout.trim();
    const token = readFileSync(join(dirA.path, "api.token"), "utf8").trim();
    const ping = async (count: number) => {
      const res = await fetch(`http://127.0.0.1:${apiA}/v1/peers/ping`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ peer: idB, count, window: WINDOW }),
      });
      return (await res.json()) as {
        ok: number;
        failed: number;
        callsPerSecond: number;
        p50Ms: number;
        p99Ms: number;
        firstError?: string;
      };
    };
    await eventually(async () => (await ping(1)).ok === 1, 15_000, "the peers to connect");
    await ping(2000); // warm up
    const rounds: Array<{ p2p: number; ws: number }> = [];
    for (let i = 0; i < 3; i++) {
      const p = await ping(CALLS);
      expect(p.failed, p.firstError).toBe(0);
      const w = await wsEcho();
      rounds.push({ p2p: p.callsPerSecond, ws: w });
      console.log(
        `round ${i + 1}: p2p ${p.callsPerSecond.toFixed(0)} calls/s (p50 ${p.p50Ms.toFixed(2)} ms, p99 ${p.p99Ms.toFixed(2)} ms), raw ws echo ${w.toFixed(0)}/s, ratio ${(p.callsPerSecond / w).toFixed(3)}`,
      );
    }
    const ratios = rounds.map((r) => r.p2p / r.ws).sort((x, y) => x - y);
    console.log(
      `BENCH p2p calls / raw ws echo (median of 3, ${CALLS} round trips, window ${WINDOW}): ${ratios[1]?.toFixed(3)} (goal >= 0.5)`,
    );
  } finally {
    await a?.stop();
    await b?.stop();
    dirA.remove();
    dirB.remove();
  }
}, 300_000);

it("gossip delivery latency to all of 50 processes", async () => {
  const dir = tempDir("anode-bench-");
  try {
    const basePort = await freePort("127.0.0.2");
    const up = await runCli(
      ["testnet", "up", "-n", "50", "--dir", dir.path, "--base-port", String(basePort)],
      { timeoutMs: 240_000 },
    );
    expect(up.code, up.stderr).toBe(0);
    const nodes = readTestnetState(dir.path).nodes;
    const MESSAGES = 20;
    const toAll: number[] = [];
    const perNode: number[] = [];
    for (let m = 0; m < MESSAGES; m++) {
      const origin = nodes[m % nodes.length] as TestnetNodeInfo;
      const t0 = Date.now();
      const { id } = await nodeApi<{ id: string }>(origin, "POST", "/v1/gossip", {
        topic: "bench.latency",
        body: m,
      });
      let arrivals: number[] = [];
      await eventually(
        async () => {
          const seen = await Promise.all(
            nodes.map(async (n) => {
              const r = await nodeApi<{ messages: Array<{ id: string; at: number }> }>(
                n,
                "GET",
                "/v1/gossip?topic=bench.latency",
              );
              return r.messages.find((x) => x.id === id)?.at;
            }),
          );
          if (seen.some((x) => x === undefined)) return false;
          arrivals = (seen as number[]).map((at) => Math.max(0, at - t0));
          return true;
        },
        20_000,
        `message ${m} at all 50 nodes`,
      );
      perNode.push(...arrivals);
      toAll.push(Math.max(...arrivals));
    }
    const q = (xs: number[], p: number) =>
      [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;
    // Baseline from the same run: one remote call round trip between two of these nodes.
    const first = nodes[0] as TestnetNodeInfo;
    const rtt = await nodeApi<{ p50Ms: number }>(first, "POST", "/v1/peers/ping", {
      peer: first.neighbours[0],
      count: 200,
    });
    console.log(
      `gossip to all 50: p50 ${q(toAll, 0.5)} ms, p99 ${q(toAll, 0.99)} ms; per node: p50 ${q(perNode, 0.5)} ms, p99 ${q(perNode, 0.99)} ms`,
    );
    console.log(
      `BENCH gossip-to-all p50 / one-hop round trip p50 (${rtt.p50Ms.toFixed(2)} ms): ${(q(toAll, 0.5) / rtt.p50Ms).toFixed(1)}`,
    );
  } finally {
    await runCli(["testnet", "down", "--dir", dir.path], { timeoutMs: 60_000 });
    try {
      killPids(readTestnetState(dir.path).nodes.map((n) => n.pid));
    } catch {}
    dir.remove();
  }
}, 400_000);
