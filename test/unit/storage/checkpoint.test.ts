import { describe, expect, it } from "vitest";
import { decodeCheckpoint, encodeCheckpoint } from "../../../src/storage/checkpoint";
import { packr } from "../../../src/storage/codec";

describe("checkpoint records", () => {
  it("round-trip", () => {
    const checkpoint = { height: 2 ** 40, root: "ab".repeat(32), logSeq: 9, time: 1.5 };
    expect(decodeCheckpoint(encodeCheckpoint(checkpoint))).toEqual(checkpoint);
  });

  it.each([
    ["undecodable bytes", Uint8Array.of(0x92, 0x01)],
    ["a non-object", packr.pack(5)],
    ["a bad root", packr.pack({ height: 1, root: "zz", logSeq: 0, time: 0 })],
    ["a negative height", packr.pack({ height: -1, root: "0".repeat(64), logSeq: 0, time: 0 })],
  ])("reports %s as STORAGE_CORRUPT", (_name, raw) => {
    expect(() => decodeCheckpoint(raw)).toThrow(/checkpoint: its record is malformed/);
  });
});
