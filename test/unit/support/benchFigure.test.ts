import { describe, expect, it } from "vitest";
import { figureLines, worseBy } from "../../support/benchFigure";

describe("benchmark figures against the recorded ones", () => {
  it("measures how much worse a figure is, in the direction that is better", () => {
    expect(worseBy(0.03, { better: "higher", figure: 0.04 })).toBeCloseTo(0.25);
    expect(worseBy(0.05, { better: "higher", figure: 0.04 })).toBeCloseTo(-0.25);
    expect(worseBy(5, { better: "lower", figure: 4 })).toBeCloseTo(0.25);
    expect(worseBy(3, { better: "lower", figure: 4 })).toBeCloseTo(-0.25);
    expect(worseBy(3, { better: "lower" })).toBeUndefined();
    expect(worseBy(Number.NaN, { better: "lower", figure: 4 })).toBeUndefined();
  });

  it("warns past 20 % worse, and only then", () => {
    const rec = { better: "lower" as const, goal: 2, figure: 4 };
    expect(figureLines("startup", 4.7, rec)).toEqual([
      "BENCH startup: 4.700 (goal <= 2; recorded 4)",
    ]);
    const worse = figureLines("startup", 5, rec);
    expect(worse).toHaveLength(2);
    expect(worse[1]).toBe(
      "BENCH WARNING: startup is 25 % worse than the recorded 4 (test/bench/figures.json)",
    );
    expect(figureLines("new", 0.01234, undefined)).toEqual(["BENCH new: 0.0123"]);
  });
});
