import { describe, expect, it } from "vitest";
import { pacePeer } from "../../../src/upgrade";

const MiB = 1024 * 1024;

describe("pacePeer()", () => {
  it.each([
    ["an idle peer is asked at once", undefined, 1_000, { at: 1_000, nextFree: 1_250 }],
    ["a budget freed in the past is not banked", 500, 1_000, { at: 1_000, nextFree: 1_250 }],
    ["a busy peer is asked when its budget frees", 1_100, 1_000, { at: 1_100, nextFree: 1_350 }],
  ] as const)("%s", (_name, nextFree, now, expected) => {
    expect(pacePeer(nextFree, { now, bytes: 1 * MiB, rate: 4 * MiB })).toEqual(expected);
  });
});
