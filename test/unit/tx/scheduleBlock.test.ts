import { describe, expect, it } from "vitest";
import { executeKv, type KvTx, type KvValue, parseTx, scheduleBlock } from "../../../src/tx";
import { seededRandom } from "./seededRandom";

const limits = { maxTxBytes: 1_000_000 };

/** A transaction declaring `reads` and writing every key of `writes`. */
function kv(reads: string[], writes: string[]): KvTx {
  const ops = writes.map((key) => ({ op: "put", key, value: 1 }));
  return parseTx({ kind: "kv", reads, writes, ops }, limits);
}

function conflicts(a: KvTx, b: KvTx): boolean {
  const touches = (tx: KvTx, key: string) => tx.reads.includes(key) || tx.writes.includes(key);
  return a.writes.some((key) => touches(b, key)) || b.writes.some((key) => touches(a, key));
}

describe("scheduleBlock", () => {
  it.each<[string, KvTx[], number[][], number[][]]>([
    ["an empty block", [], [], []],
    [
      "independent transactions",
      [kv([], ["a"]), kv([], ["b"]), kv([], ["c"])],
      [[0], [1], [2]],
      [[], [], []],
    ],
    [
      "a chain through different keys",
      [kv([], ["a"]), kv(["a"], ["b"]), kv(["b"], ["c"])],
      [[0, 1, 2]],
      [[], [0], [1]],
    ],
    [
      "two reads of one key, which do not conflict",
      [kv(["a"], ["x"]), kv(["a"], ["y"])],
      [[0], [1]],
      [[], []],
    ],
    ["a read after a write", [kv([], ["a"]), kv(["a"], ["y"])], [[0, 1]], [[], [0]]],
    ["a write after a read", [kv(["a"], ["x"]), kv([], ["a"])], [[0, 1]], [[], [0]]],
    ["a write after a write", [kv([], ["a"]), kv([], ["a"])], [[0, 1]], [[], [0]]],
    [
      "transitive grouping through a transaction touching two groups",
      [kv([], ["a"]), kv([], ["b"]), kv([], ["c"]), kv([], ["a", "b"])],
      [[0, 1, 3], [2]],
      [[], [], [], [0, 1]],
    ],
    [
      "grouping by a later transaction joining earlier lanes",
      [kv([], ["x"]), kv([], ["a"]), kv([], ["y"]), kv(["a"], ["x"])],
      [[0, 1, 3], [2]],
      [[], [], [], [0, 1]],
    ],
    [
      "a write after several reads, which waits for the reads only",
      [kv([], ["a"]), kv(["a"], ["x"]), kv(["a"], ["y"]), kv([], ["a"]), kv(["a"], ["z"])],
      [[0, 1, 2, 3, 4]],
      [[], [0], [0], [1, 2], [3]],
    ],
    [
      "a key both read and written, which counts as a write",
      [kv(["a"], ["a"]), kv(["a"], ["a"]), kv(["a"], ["q"])],
      [[0, 1, 2]],
      [[], [0], [1]],
    ],
    [
      "one dependency per earlier transaction, however many keys they share",
      [kv([], ["a", "b", "c"]), kv(["a", "b"], ["c"])],
      [[0, 1]],
      [[], [0]],
    ],
  ])("schedules %s", (_name, txs, lanes, deps) => {
    expect(scheduleBlock(txs)).toEqual({ lanes, deps });
  });

  it("never makes a hand-built transaction listing a key twice depend on itself", () => {
    const twice: KvTx = { kind: "kv", reads: ["a", "a"], writes: ["a", "a"], ops: [] };
    expect(scheduleBlock([twice, twice])).toEqual({ lanes: [[0, 1]], deps: [[], [0]] });
  });

  it("puts every pair of conflicting transactions in one lane, ordered through deps", () => {
    const next = seededRandom(7);
    for (let round = 0; round < 40; round++) {
      const txs = randomBlock(next, 30, 8);
      const { lanes, deps } = scheduleBlock(txs);
      const laneOf = new Map<number, number>();
      lanes.forEach((lane, l) => {
        for (const i of lane) laneOf.set(i, l);
        expect(lane).toEqual([...lane].sort((a, b) => a - b));
      });
      expect(laneOf.size).toBe(txs.length);
      const before = reachability(deps);
      for (let j = 0; j < txs.length; j++) {
        for (let i = 0; i < j; i++) {
          if (!conflicts(txs[i] as KvTx, txs[j] as KvTx)) continue;
          expect(laneOf.get(i)).toBe(laneOf.get(j));
          expect(before[j]?.has(i)).toBe(true);
        }
        for (const d of deps[j] ?? []) {
          expect(d).toBeLessThan(j);
          expect(conflicts(txs[d] as KvTx, txs[j] as KvTx)).toBe(true);
        }
      }
    }
  });

  it("gives the sequential outcome for any interleaving of lanes or order respecting deps", () => {
    const next = seededRandom(2024);
    let aborts = 0;
    let parallelBlocks = 0;
    for (let round = 0; round < 200; round++) {
      const txs = randomKvBlock(next, 1 + next(25), 3 + next(30));
      const sequential = runInOrder(
        txs,
        txs.map((_, i) => i),
      );
      const { lanes, deps } = scheduleBlock(txs);
      expect(runInOrder(txs, interleaveLanes(lanes, next))).toEqual(sequential);
      expect(runInOrder(txs, followDeps(deps, next))).toEqual(sequential);
      aborts += sequential.results.filter((r) => r !== true).length;
      if (lanes.length > 1) parallelBlocks++;
    }
    // The check means little unless blocks both abort and split into lanes.
    expect(aborts).toBeGreaterThan(100);
    expect(parallelBlocks).toBeGreaterThan(50);
  });

  it("schedules 100,000 transactions with deps linear in their declared keys", () => {
    const next = seededRandom(1);
    const txs: KvTx[] = Array.from({ length: 100_000 }, (_, i) =>
      i % 1000 === 0
        ? ({ kind: "kv", reads: [], writes: ["hot"], ops: [] } satisfies KvTx)
        : ({ kind: "kv", reads: ["hot"], writes: [`k${next(50_000)}`], ops: [] } satisfies KvTx),
    );
    const started = performance.now();
    const { lanes, deps } = scheduleBlock(txs);
    const elapsed = performance.now() - started;
    const declared = txs.reduce((n, tx) => n + tx.reads.length + tx.writes.length, 0);
    // A read adds at most a dep on the writer before it and one from the writer after it.
    expect(deps.reduce((n, d) => n + d.length, 0)).toBeLessThanOrEqual(2 * declared);
    expect(lanes.reduce((n, lane) => n + lane.length, 0)).toBe(txs.length);
    // Generous: catches a quadratic slip (minutes), not machine noise.
    expect(elapsed).toBeLessThan(5000);
  });
});

function reachability(deps: number[][]): Array<Set<number>> {
  const sets: Array<Set<number>> = [];
  deps.forEach((direct, j) => {
    const all = new Set<number>();
    for (const d of direct) {
      all.add(d);
      for (const e of sets[d] ?? []) all.add(e);
    }
    sets[j] = all;
  });
  return sets;
}

/** Declared sets only, for checking the schedule's structure. */
function randomBlock(next: (n: number) => number, size: number, keyCount: number): KvTx[] {
  return Array.from({ length: size }, () => {
    const pick = (n: number) => Array.from({ length: n }, () => `k${next(keyCount)}`);
    return kv(pick(next(3)), pick(1 + next(2)));
  });
}

/** Runnable transactions whose ops really depend on each other's writes. */
function randomKvBlock(next: (n: number) => number, size: number, keyCount: number): KvTx[] {
  return Array.from({ length: size }, (_, t) => {
    const ops = Array.from({ length: 1 + next(3) }, () => {
      const key = `k${next(keyCount)}`;
      switch (next(5)) {
        case 0:
          return { op: "put", key, value: next(4) };
        case 1:
          return { op: "put", key, value: `s${next(2)}` };
        case 2:
          return { op: "delete", key };
        case 3:
          return { op: "increment", key, by: next(3) };
        default:
          return { op: "cas", key, expect: next(3) === 0 ? null : next(4), value: t };
      }
    });
    const keys = ops.map((op) => op.key);
    const extra = Array.from({ length: next(3) }, () => `k${next(keyCount)}`);
    return parseTx({ kind: "kv", reads: [...keys, ...extra], writes: keys, ops }, limits);
  });
}

/** Runs `order` over one shared state, as lanes on separate workers would. */
function runInOrder(txs: KvTx[], order: number[]) {
  const state = new Map<string, KvValue>();
  const results: Array<boolean | string> = new Array(txs.length);
  for (const i of order) {
    const tx = txs[i] as KvTx;
    const result = executeKv(tx, (key) => {
      if (!tx.reads.includes(key)) throw new Error(`read of undeclared key ${key}`);
      return state.get(key);
    });
    if (!result.ok) {
      results[i] = result.error;
      continue;
    }
    results[i] = true;
    for (const { key, value } of result.writes) {
      if (value === undefined) state.delete(key);
      else state.set(key, value);
    }
  }
  return { state: Object.fromEntries([...state].sort(([a], [b]) => (a < b ? -1 : 1))), results };
}

function interleaveLanes(lanes: number[][], next: (n: number) => number): number[] {
  const cursors = lanes.map(() => 0);
  const order: number[] = [];
  let live = lanes.map((_, l) => l);
  while (live.length > 0) {
    const l = live[next(live.length)] as number;
    order.push((lanes[l] as number[])[cursors[l] as number] as number);
    cursors[l] = (cursors[l] as number) + 1;
    live = live.filter((m) => (cursors[m] as number) < (lanes[m] as number[]).length);
  }
  return order;
}

function followDeps(deps: number[][], next: (n: number) => number): number[] {
  const done = new Set<number>();
  const order: number[] = [];
  while (order.length < deps.length) {
    const ready = deps
      .map((_, i) => i)
      .filter((i) => !done.has(i) && (deps[i] as number[]).every((d) => done.has(d)));
    const pick = ready[next(ready.length)] as number;
    done.add(pick);
    order.push(pick);
  }
  return order;
}
