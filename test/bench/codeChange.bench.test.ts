import { expect, it } from "vitest";
import { Engine, type EngineModule } from "../../src/runtime";
import { benchFigure } from "../support/benchFigure";
import { startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";

interface Seen {
  next: number;
  outOfOrder: number;
  times: number[];
}

/** Checks every message arrives once and in order, and records when each was handled. */
const v1: EngineModule<Seen, void> = {
  name: "echo",
  version: "1",
  init: () => ({ next: 0, outOfOrder: 0, times: [] }),
  handleCall(msg, _from, s) {
    return { reply: record(s, msg as number), state: s };
  },
  handleCast(msg, s) {
    record(s, msg as number);
    return s;
  },
};
const v2: EngineModule<Seen, void> = {
  ...v1,
  version: "2",
  codeChange: (_from, state) => state as Seen,
};

function record(s: Seen, seq: number): number {
  if (seq !== s.next) s.outOfOrder++;
  s.next = seq + 1;
  s.times.push(performance.now());
  return seq;
}

const LOAD_MS = 1500;
const SWAPS = 20;

it("mailbox pause during changeCode vs a full node stop and start", async () => {
  const engine = await Engine.start(v1, undefined);
  let seq = 0;
  let running = true;
  const calls: Promise<unknown>[] = [];
  // Steady load: each macrotask sends a call and three casts, numbered in send order.
  const load = (async () => {
    while (running) {
      calls.push(engine.call(seq++, 10_000));
      for (let i = 0; i < 3; i++) engine.cast(seq++);
      await new Promise((r) => setImmediate(r));
    }
  })();
  const pauses: number[] = [];
  const windows: Array<[number, number]> = [];
  await new Promise((r) => setTimeout(r, 100));
  for (let i = 0; i < SWAPS; i++) {
    const t0 = performance.now();
    await engine.suspend();
    await engine.changeCode(i % 2 === 0 ? v2 : v1);
    engine.resume();
    const t1 = performance.now();
    pauses.push(t1 - t0);
    windows.push([t0, t1]);
    await new Promise((r) => setTimeout(r, LOAD_MS / SWAPS));
  }
  running = false;
  await load;
  const replies = await Promise.all(calls);
  const state = (await engine.call(seq++)) as number;
  expect(state).toBe(seq - 1);
  const s = (engine as unknown as { state: Seen }).state;
  expect(s.outOfOrder).toBe(0);
  expect(s.next).toBe(seq);
  expect(replies.every((r, i) => i === 0 || (r as number) > (replies[i - 1] as number))).toBe(true);
  // The mailbox's pause: the gap between the last message handled before each swap and the
  // first one handled after it (GC pauses elsewhere in the run are not the swap's doing).
  let maxGap = 0;
  for (const [t0, t1] of windows) {
    const after = s.times.findIndex((t) => t >= t1);
    if (after > 0)
      maxGap = Math.max(maxGap, (s.times[after] as number) - (s.times[after - 1] as number));
    expect(s.times.some((t) => t > t0 && t < t1)).toBe(false);
  }
  await engine.stop();

  // Baseline: stop and start a real node process (SIGTERM to exit, spawn to ready).
  const restarts: number[] = [];
  const dir = tempDir("anode-bench-");
  try {
    const port = await freePort();
    const args = ["--data-dir", dir.path, "--api-port", String(port)];
    let node = await startNodeProcess(args);
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await node.stop();
      node = await startNodeProcess(args);
      restarts.push(performance.now() - t0);
    }
    await node.stop();
  } finally {
    dir.remove();
  }
  restarts.sort((a, b) => a - b);
  const restart = restarts[1] as number;
  const longestSwap = Math.max(...pauses);
  console.log(`messages: ${seq} handled in order, none lost; ${SWAPS} swaps`);
  console.log(
    `longest suspend+changeCode+resume: ${longestSwap.toFixed(3)} ms; longest mailbox gap across a swap: ${maxGap.toFixed(3)} ms`,
  );
  console.log(`node stop+start (median of 3): ${restart.toFixed(0)} ms`);
  benchFigure("swap mailbox gap / node restart", Math.max(longestSwap, maxGap) / restart, "lower");
}, 120_000);
