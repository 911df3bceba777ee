import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { decodeTx, encodeTx, parseTx, txId } from "../../../src/tx";
import { txErrorOf } from "./txErrorOf";

const limits = { maxTxBytes: 4096 };
const input = {
  kind: "kv",
  reads: ["c", "n"],
  writes: ["a", "b", "c", "n"],
  ops: [
    { op: "put", key: "a", value: { $bytes: "3q2+7w==" } },
    { op: "put", key: "a", value: -12.5 },
    { op: "delete", key: "b" },
    { op: "increment", key: "n", by: 7 },
    { op: "cas", key: "c", expect: null, value: "ünïcode \u{1F600}" },
    { op: "cas", key: "c", expect: true, value: 2 ** 53 - 1 },
  ],
  nonce: "n-1",
};

describe("decodeTx", () => {
  it("round-trips every op and value type", () => {
    const tx = parseTx(input, limits);
    const back = decodeTx(encodeTx(tx), limits);
    expect(back).toEqual(tx);
    expect(txId(back)).toBe(txId(tx));
    expect(Buffer.from(encodeTx(back)).equals(Buffer.from(encodeTx(tx)))).toBe(true);
  });

  it("returns bytes values as plain Uint8Arrays", () => {
    const back = decodeTx(encodeTx(parseTx(input, limits)), limits);
    expect((back.ops[0] as { value: Uint8Array }).value.constructor).toBe(Uint8Array);
  });

  it("normalises valid but non-canonical bytes to the canonical transaction", () => {
    const loose = new Packr({ useRecords: false }).pack({
      writes: ["n", "n", "c", "b", "a"],
      ops: input.ops.map((op) =>
        "value" in op && typeof op.value === "object"
          ? { ...op, value: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) }
          : op,
      ),
      reads: ["n", "c"],
      kind: "kv",
      nonce: "n-1",
    });
    expect(txId(decodeTx(loose, limits))).toBe(txId(parseTx(input, limits)));
  });

  it("rejects bytes over maxTxBytes before decoding them", () => {
    const err = txErrorOf(() => decodeTx(new Uint8Array(5000).fill(0xc1), limits));
    expect(err.type).toEqual({ code: "TX_TOO_LARGE", size: 5000, limit: 4096 });
  });

  it.each([
    ["a truncated string", [0xd9, 0x05, 0x61]],
    ["a truncated map", [0x82, 0xa1, 0x61]],
    ["trailing bytes", [0x01, 0x01]],
  ])("rejects %s as malformed msgpack", (_name, bytes) => {
    const err = txErrorOf(() => decodeTx(new Uint8Array(bytes), limits));
    expect(err.type).toEqual({ code: "TX_MALFORMED", path: "", reason: "is not valid msgpack" });
    expect(err.cause).toBeDefined();
  });

  it("applies every parse rule to what it decodes", () => {
    const bytes = new Packr({ useRecords: false }).pack({ ...input, kind: "evm" });
    expect(txErrorOf(() => decodeTx(bytes, limits)).type).toMatchObject({ path: "kind" });
  });

  it("rejects a 64-bit integer a canonical encoder never writes", () => {
    const bytes = new Packr({ useRecords: false }).pack({
      kind: "kv",
      reads: [],
      writes: ["a"],
      ops: [{ op: "put", key: "a", value: 1n << 60n }],
    });
    expect(txErrorOf(() => decodeTx(bytes, limits)).type).toMatchObject({ path: "ops[0].value" });
  });
});
