import { describe, expect, it } from "vitest";
import { type BlockCommit, blockOps, encodeAuxKey } from "../../../src/storage/blockOps";
import { bytes } from "./helpers";

const block = (fields: Partial<BlockCommit>): BlockCommit => ({
  height: 4,
  writes: [],
  logSeq: 0,
  time: 0,
  ...fields,
});

describe("blockOps()", () => {
  it("picks the highest-index write of each key as live, whatever the array order", () => {
    const { live } = blockOps(
      block({
        writes: [
          { key: "a", index: 5, value: bytes("a5") },
          { key: "b", index: 0, value: undefined },
          { key: "a", index: 9, value: undefined },
          { key: "a", index: 1, value: bytes("a1") },
        ],
      }),
    );
    expect(live.map((w) => [new TextDecoder().decode(w.keyBytes), w.index, w.value])).toEqual([
      ["a", 9, undefined],
      ["b", 0, undefined],
    ]);
  });

  it("returns one data op per write, then the record and aux entries, after extra ops", () => {
    const { ops } = blockOps(
      block({
        writes: [
          { key: "a", index: 0, value: bytes("x") },
          { key: "a", index: 1, value: bytes("y") },
        ],
        record: bytes("r"),
        aux: [["tx/1", bytes("ok")]],
        extraOps: [{ type: "put", space: "log", key: bytes("1"), value: bytes("e") }],
      }),
    );
    expect(ops.map((op) => op.space)).toEqual(["log", "data", "data", "blocks", "aux"]);
  });

  it("accepts the same index for different keys", () => {
    const { ops } = blockOps(
      block({
        writes: [
          { key: "a", index: 0, value: bytes("1") },
          { key: "b", index: 0, value: bytes("2") },
        ],
      }),
    );
    expect(ops).toHaveLength(2);
  });

  it("encodeAuxKey() refuses an empty key", () => {
    expect(() => encodeAuxKey("")).toThrow(/aux key must be a non-empty string/);
  });
});
