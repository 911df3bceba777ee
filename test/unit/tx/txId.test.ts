import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeTx, parseTx, txId } from "../../../src/tx";

const limits = { maxTxBytes: 4096 };
const base = {
  kind: "kv",
  reads: [],
  writes: ["a", "b"],
  ops: [
    { op: "put", key: "a", value: 1 },
    { op: "put", key: "b", value: 2 },
  ],
};

describe("txId", () => {
  it("is the hex sha256 of the canonical encoding", () => {
    const tx = parseTx(base, limits);
    const expected = createHash("sha256").update(encodeTx(tx)).digest("hex");
    expect(txId(tx)).toBe(expected);
    expect(txId(tx)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not change with the order of declared keys or of object fields", () => {
    const shuffled = {
      writes: ["b", "a"],
      ops: [
        { value: 1, key: "a", op: "put" },
        { key: "b", value: 2, op: "put" },
      ],
      kind: "kv",
      reads: [],
    };
    expect(txId(parseTx(shuffled, limits))).toBe(txId(parseTx(base, limits)));
  });

  it("changes with the nonce, so the same ops can be submitted twice", () => {
    const ids = new Set([
      txId(parseTx(base, limits)),
      txId(parseTx({ ...base, nonce: "1" }, limits)),
      txId(parseTx({ ...base, nonce: "2" }, limits)),
    ]);
    expect(ids.size).toBe(3);
  });

  it("changes with op order, since ops apply in order", () => {
    const reversed = { ...base, ops: [...base.ops].reverse() };
    expect(txId(parseTx(reversed, limits))).not.toBe(txId(parseTx(base, limits)));
  });

  it("tells values of different types apart", () => {
    const withValue = (value: unknown) =>
      txId(
        parseTx(
          { kind: "kv", reads: [], writes: ["a"], ops: [{ op: "put", key: "a", value }] },
          limits,
        ),
      );
    const ids = new Set([1, "1", true, { $bytes: "AQ==" }, 1.5].map((value) => withValue(value)));
    expect(ids.size).toBe(5);
  });
});
