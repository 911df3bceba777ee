import { describe, expect, it } from "vitest";
import { executeKv, type KvValue, parseTx } from "../../../src/tx";

const limits = { maxTxBytes: 1_000_000 };

/** Declares every op key as read and written, which parseTx always accepts. */
function tx(ops: unknown[]) {
  const keys = ops.map((op) => (op as { key: string }).key);
  return parseTx({ kind: "kv", reads: keys, writes: keys, ops }, limits);
}

function stateOf(entries: Record<string, KvValue>) {
  const map = new Map(Object.entries(entries));
  return (key: string) => map.get(key);
}

describe("executeKv", () => {
  it.each<[string, unknown[], Record<string, KvValue>, Array<[string, KvValue | undefined]>]>([
    ["put writes the value", [{ op: "put", key: "a", value: "x" }], {}, [["a", "x"]]],
    ["put overwrites", [{ op: "put", key: "a", value: 2 }], { a: 1 }, [["a", 2]]],
    ["delete writes a tombstone", [{ op: "delete", key: "a" }], { a: 1 }, [["a", undefined]]],
    ["delete of an absent key still writes", [{ op: "delete", key: "a" }], {}, [["a", undefined]]],
    ["increment adds one by default", [{ op: "increment", key: "n" }], { n: 41 }, [["n", 42]]],
    ["increment adds by", [{ op: "increment", key: "n", by: -5 }], { n: 3 }, [["n", -2]]],
    [
      "increment of an absent key starts at 0",
      [{ op: "increment", key: "n", by: 3 }],
      {},
      [["n", 3]],
    ],
    [
      "cas with null expects absence",
      [{ op: "cas", key: "a", expect: null, value: 1 }],
      {},
      [["a", 1]],
    ],
    [
      "cas swaps on a match",
      [{ op: "cas", key: "a", expect: "old", value: "new" }],
      { a: "old" },
      [["a", "new"]],
    ],
    [
      "cas compares bytes by content",
      [{ op: "cas", key: "a", expect: { $bytes: "AQI=" }, value: true }],
      { a: new Uint8Array([1, 2]) },
      [["a", true]],
    ],
    [
      "a later op sees an earlier one",
      [
        { op: "put", key: "n", value: 10 },
        { op: "increment", key: "n" },
        { op: "cas", key: "n", expect: 11, value: 20 },
        { op: "increment", key: "n", by: 2 },
      ],
      { n: 0 },
      [["n", 22]],
    ],
    [
      "a deleted key reads as absent to later ops",
      [
        { op: "delete", key: "a" },
        { op: "cas", key: "a", expect: null, value: "fresh" },
      ],
      { a: "stale" },
      [["a", "fresh"]],
    ],
    [
      "increment after delete starts at 0",
      [
        { op: "delete", key: "n" },
        { op: "increment", key: "n" },
      ],
      { n: 100 },
      [["n", 1]],
    ],
    [
      "each written key appears once, with its final value, sorted by key",
      [
        { op: "put", key: "b", value: 1 },
        { op: "put", key: "a", value: 1 },
        { op: "put", key: "b", value: 2 },
      ],
      {},
      [
        ["a", 1],
        ["b", 2],
      ],
    ],
  ])("%s", (_name, ops, state, expected) => {
    const result = executeKv(tx(ops), stateOf(state));
    expect(result).toEqual({
      ok: true,
      writes: expected.map(([key, value]) => ({ key, value })),
    });
  });

  it.each<[string, unknown[], Record<string, KvValue>, string, number]>([
    [
      "increment of a string",
      [{ op: "increment", key: "k" }],
      { k: "7" },
      'Cannot increment "k": value is a string',
      0,
    ],
    [
      "increment of a boolean",
      [{ op: "increment", key: "k" }],
      { k: true },
      'Cannot increment "k": value is a boolean',
      0,
    ],
    [
      "increment of bytes",
      [{ op: "increment", key: "k" }],
      { k: new Uint8Array(1) },
      'Cannot increment "k": value is bytes',
      0,
    ],
    [
      "increment of a fraction",
      [{ op: "increment", key: "k" }],
      { k: 1.5 },
      'Cannot increment "k": value 1.5 is not a safe integer',
      0,
    ],
    [
      "increment past the safe range",
      [{ op: "increment", key: "k" }],
      { k: Number.MAX_SAFE_INTEGER },
      'Cannot increment "k": the result would leave the safe integer range',
      0,
    ],
    [
      "cas on a different value",
      [{ op: "cas", key: "k", expect: 1, value: 3 }],
      { k: 2 },
      'compare-and-set failed on "k": expected 1, found 2',
      0,
    ],
    [
      "cas on a different type",
      [{ op: "cas", key: "k", expect: 1, value: 3 }],
      { k: "1" },
      'compare-and-set failed on "k": expected 1, found "1"',
      0,
    ],
    [
      "cas expecting absence on a present key",
      [{ op: "cas", key: "k", expect: null, value: 3 }],
      { k: false },
      'compare-and-set failed on "k": expected absent, found false',
      0,
    ],
    [
      "cas expecting a value on an absent key",
      [{ op: "cas", key: "k", expect: "v", value: 3 }],
      {},
      'compare-and-set failed on "k": expected "v", found absent',
      0,
    ],
    [
      "cas on bytes of another length",
      [{ op: "cas", key: "k", expect: { $bytes: "AQ==" }, value: 3 }],
      { k: new Uint8Array([1, 2]) },
      'compare-and-set failed on "k": expected bytes 0x01, found bytes 0x0102',
      0,
    ],
    [
      "cas on bytes against a string",
      [{ op: "cas", key: "k", expect: "x", value: 3 }],
      { k: new Uint8Array([0xff]) },
      'compare-and-set failed on "k": expected "x", found bytes 0xff',
      0,
    ],
    [
      "a failure in a later op",
      [
        { op: "put", key: "a", value: 1 },
        { op: "put", key: "b", value: 1 },
        { op: "cas", key: "b", expect: 2, value: 3 },
      ],
      {},
      'compare-and-set failed on "b": expected 2, found 1',
      2,
    ],
  ])("aborts the whole transaction on %s", (_name, ops, state, error, op) => {
    expect(executeKv(tx(ops), stateOf(state))).toEqual({ ok: false, error, op });
  });

  it("cuts long values short in error messages", () => {
    const long = "x".repeat(100);
    const result = executeKv(
      tx([{ op: "cas", key: "k", expect: long, value: 1 }]),
      stateOf({ k: new Uint8Array(100) }),
    );
    expect(result).toEqual({
      ok: false,
      op: 0,
      error: `compare-and-set failed on "k": expected "${"x".repeat(32)}"…, found bytes 0x${"00".repeat(32)}…`,
    });
  });

  it("reads only declared read keys, and never one it has already written", () => {
    const seen: string[] = [];
    const parsed = parseTx(
      {
        kind: "kv",
        reads: ["n", "c", "unused"],
        writes: ["n", "c", "p", "d"],
        ops: [
          { op: "put", key: "p", value: 1 },
          { op: "delete", key: "d" },
          { op: "increment", key: "n" },
          { op: "increment", key: "n" },
          { op: "cas", key: "c", expect: null, value: 1 },
        ],
      },
      limits,
    );
    executeKv(parsed, (key) => {
      seen.push(key);
      return undefined;
    });
    expect(seen).toEqual(["n", "c"]);
    expect(seen.every((key) => parsed.reads.includes(key))).toBe(true);
  });
});
