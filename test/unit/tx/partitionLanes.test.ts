import { describe, expect, it } from "vitest";
import { partitionLanes } from "../../../src/tx";
import { seededRandom } from "./seededRandom";
import { txErrorOf } from "./txErrorOf";

/** Lanes of the given lengths with distinct, increasing tx indices. */
function lanesOf(lengths: number[]): number[][] {
  let next = 0;
  return lengths.map((length) => Array.from({ length }, () => next++));
}

const sizes = (bins: number[][][]) =>
  bins.map((bin) => bin.reduce((n, lane) => n + lane.length, 0));

describe("partitionLanes", () => {
  it.each<[string, number[], number, number[][]]>([
    ["no lanes", [], 4, []],
    ["fewer lanes than workers, one bin each", [3, 1], 4, [[0], [1]]],
    ["one worker, everything in order", [1, 3, 2], 1, [[0, 1, 2]]],
    [
      "largest lane first into the lightest bin",
      [5, 4, 3, 3, 3],
      2,
      [
        [0, 3],
        [1, 2, 4],
      ],
    ],
    [
      "equal lanes round-robin in lane order",
      [1, 1, 1, 1],
      2,
      [
        [0, 2],
        [1, 3],
      ],
    ],
  ])("packs %s", (_name, lengths, workers, expected) => {
    const lanes = lanesOf(lengths);
    const bins = partitionLanes(lanes, workers);
    expect(bins).toEqual(expected.map((bin) => bin.map((l) => lanes[l])));
  });

  it("keeps every lane exactly once, in its original order within a bin", () => {
    const lanes = lanesOf([2, 9, 1, 4, 4, 7, 3]);
    const bins = partitionLanes(lanes, 3);
    expect(bins.length).toBeLessThanOrEqual(3);
    expect(bins.flat().sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(lanes);
    for (const bin of bins) {
      const firsts = bin.map((lane) => lane[0] as number);
      expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    }
  });

  it("balances within 4/3 of the best possible largest bin", () => {
    const next = seededRandom(99);
    for (let round = 0; round < 100; round++) {
      const lengths = Array.from({ length: 1 + next(60) }, () => 1 + next(40));
      const workers = 1 + next(8);
      const bins = partitionLanes(lanesOf(lengths), workers);
      const total = lengths.reduce((a, b) => a + b, 0);
      const lowerBound = Math.max(Math.ceil(total / workers), ...lengths);
      expect(Math.max(...sizes(bins))).toBeLessThanOrEqual((4 / 3) * lowerBound);
      expect(sizes(bins).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it("leaves no bin empty, even given empty lanes", () => {
    const bins = partitionLanes([[], [], [0]], 3);
    expect(bins.every((bin) => bin.length > 0)).toBe(true);
    expect(bins.flat()).toHaveLength(3);
  });

  it("packs 100,000 single-transaction lanes evenly", () => {
    const bins = partitionLanes(lanesOf(new Array(100_000).fill(1)), 16);
    expect(new Set(sizes(bins))).toEqual(new Set([6250]));
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses %s workers", (workers) => {
    expect(txErrorOf(() => partitionLanes([[0]], workers)).type).toEqual({
      code: "TX_BAD_ARGUMENT",
      name: "workers",
      reason: "not a positive safe integer",
    });
  });
});
