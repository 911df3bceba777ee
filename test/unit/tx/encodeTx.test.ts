import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { encodeTx, type KvTx, parseTx } from "../../../src/tx";

const limits = { maxTxBytes: 4096 };
const plain = new Packr({ useRecords: false, mapsAsObjects: true });

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

describe("encodeTx", () => {
  it("encodes equal transactions identically whatever the field order of the input", () => {
    const a = parseTx(
      {
        kind: "kv",
        reads: ["n"],
        writes: ["a", "n"],
        ops: [
          { op: "cas", key: "n", expect: 1, value: 2 },
          { op: "put", key: "a", value: "x" },
        ],
        nonce: "1",
      },
      limits,
    );
    const b = parseTx(
      {
        nonce: "1",
        ops: [
          { value: 2, expect: 1, key: "n", op: "cas" },
          { value: "x", key: "a", op: "put" },
        ],
        writes: ["n", "a", "a"],
        reads: ["n"],
        kind: "kv",
      },
      limits,
    );
    expect(hex(encodeTx(a))).toBe(hex(encodeTx(b)));
  });

  it("canonicalises a transaction built in code the way parseTx would", () => {
    const built: KvTx = {
      writes: ["b", "a"],
      ops: [
        { by: 1, key: "a", op: "increment" },
        { key: "b", op: "delete" },
      ],
      reads: ["a", "a"],
      kind: "kv",
    };
    expect(hex(encodeTx(built))).toBe(hex(encodeTx(parseTx(built, limits))));
  });

  it("writes a msgpack map with sorted fields, sorted key lists and no default by", () => {
    const tx = parseTx(
      {
        kind: "kv",
        reads: ["n"],
        writes: ["n", "a"],
        ops: [
          { op: "increment", key: "n", by: 1 },
          { op: "increment", key: "n", by: 5 },
          { op: "cas", key: "n", expect: null, value: 0 },
        ],
        nonce: "z",
      },
      limits,
    );
    const decoded = plain.unpack(encodeTx(tx)) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(["kind", "nonce", "ops", "reads", "writes"]);
    expect(decoded.writes).toEqual(["a", "n"]);
    const ops = decoded.ops as Array<Record<string, unknown>>;
    expect(ops.map((op) => Object.keys(op))).toEqual([
      ["key", "op"],
      ["by", "key", "op"],
      ["expect", "key", "op", "value"],
    ]);
  });

  it("keeps bytes values as msgpack binary", () => {
    const tx = parseTx(
      {
        kind: "kv",
        reads: [],
        writes: ["a"],
        ops: [{ op: "put", key: "a", value: { $bytes: "AQI=" } }],
      },
      limits,
    );
    expect(hex(encodeTx(tx))).toContain("c4020102");
  });
});
