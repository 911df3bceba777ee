import { describe, expect, it } from "vitest";
import { type AppState, selectCandidates } from "../../../src/boot";

describe("selectCandidates()", () => {
  const installed = ["0.1.0", "0.2.0", "0.3.0-beta.1", "0.3.0", "0.0.9", "junk"];
  type Case = [string, AppState, string, string[]];
  const cases: Case[] = [
    [
      "newest first, only newer than the embedded app",
      { bad: {} },
      "0.1.0",
      ["0.3.0", "0.3.0-beta.1", "0.2.0"],
    ],
    ["nothing when the embedded app is the newest", { bad: {} }, "0.3.0", []],
    [
      "skips versions marked bad",
      { bad: { "0.3.0": "crashed" } },
      "0.1.0",
      ["0.3.0-beta.1", "0.2.0"],
    ],
    [
      "tries current first (a rollback)",
      { current: "0.2.0", bad: {} },
      "0.1.0",
      ["0.2.0", "0.3.0", "0.3.0-beta.1"],
    ],
    [
      "then last good",
      { current: "0.3.0-beta.1", lastGood: "0.2.0", bad: {} },
      "0.1.0",
      ["0.3.0-beta.1", "0.2.0", "0.3.0"],
    ],
    [
      "ignores a current that is bad",
      { current: "0.3.0", bad: { "0.3.0": "x" } },
      "0.1.0",
      ["0.3.0-beta.1", "0.2.0"],
    ],
    [
      "ignores a current that is not installed",
      { current: "9.9.9", bad: {} },
      "0.1.0",
      ["0.3.0", "0.3.0-beta.1", "0.2.0"],
    ],
    [
      "ignores a current older than the embedded app",
      { current: "0.0.9", bad: {} },
      "0.1.0",
      ["0.3.0", "0.3.0-beta.1", "0.2.0"],
    ],
  ];
  it.each(cases)("%s", (_name, state, embedded, expected) => {
    expect(selectCandidates(installed, state, { embedded })).toEqual({
      candidates: expected,
      belowFloor: [],
    });
  });

  type FloorCase = [string, AppState, string, string[], string[]];
  const floorCases: FloorCase[] = [
    [
      "offers nothing below the floor, newest first above it",
      { bad: {} },
      "0.3.0-beta.1",
      ["0.3.0", "0.3.0-beta.1"],
      [],
    ],
    [
      "refuses a current below the floor (state.json pointed at an older release)",
      { current: "0.2.0", bad: {} },
      "0.3.0",
      ["0.3.0"],
      ["0.2.0"],
    ],
    [
      "refuses a last good below the floor, keeps a current at it",
      { current: "0.3.0", lastGood: "0.2.0", bad: {} },
      "0.3.0",
      ["0.3.0"],
      ["0.2.0"],
    ],
    [
      "offers nothing when the floor release is marked bad and nothing is above it",
      { current: "0.3.0", bad: { "0.3.0": "equivocation" } },
      "0.3.0",
      [],
      [],
    ],
    [
      "offers nothing when the floor is above every installed release (it was deleted)",
      { current: "0.2.0", bad: {} },
      "0.5.0",
      [],
      ["0.2.0"],
    ],
    [
      "a floor at or below the embedded app changes nothing",
      { current: "0.2.0", bad: {} },
      "0.1.0",
      ["0.2.0", "0.3.0", "0.3.0-beta.1"],
      [],
    ],
  ];
  it.each(floorCases)("with a floor: %s", (_name, state, floor, candidates, belowFloor) => {
    expect(selectCandidates(installed, state, { embedded: "0.1.0", floor })).toEqual({
      candidates,
      belowFloor,
    });
  });
});
