import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_KEYS, MAX_NONCE_BYTES, parseTx } from "../../../src/tx";
import { txErrorOf } from "./txErrorOf";

const limits = { maxTxBytes: 4096, maxKeys: 4, maxKeyBytes: 8 };

function valid(): Record<string, unknown> {
  return {
    kind: "kv",
    reads: ["n"],
    writes: ["a", "n"],
    ops: [
      { op: "put", key: "a", value: "x" },
      { op: "increment", key: "n" },
    ],
  };
}

function withOp(op: unknown, declared: { reads?: string[]; writes?: string[] } = {}) {
  return {
    ...valid(),
    reads: declared.reads ?? ["a"],
    writes: declared.writes ?? ["a"],
    ops: [op],
  };
}

const badInputs: Array<[string, unknown, string, string]> = [
  ["a number", 5, "TX_MALFORMED", ""],
  ["null", null, "TX_MALFORMED", ""],
  ["an array", [valid()], "TX_MALFORMED", ""],
  ["a class instance", new Map(), "TX_MALFORMED", ""],
  ["an unknown top-level field", { ...valid(), fee: 1 }, "TX_MALFORMED", "fee"],
  ["a missing kind", { ...valid(), kind: undefined }, "TX_MALFORMED", "kind"],
  ["another kind", { ...valid(), kind: "nock" }, "TX_MALFORMED", "kind"],
  ["missing reads", { ...valid(), reads: undefined }, "TX_MALFORMED", "reads"],
  ["reads that are not an array", { ...valid(), reads: "n" }, "TX_MALFORMED", "reads"],
  ["too many reads", { ...valid(), reads: ["a", "b", "c", "d", "n"] }, "TX_TOO_MANY_KEYS", "reads"],
  [
    "too many writes",
    { ...valid(), writes: ["a", "b", "c", "d", "n"] },
    "TX_TOO_MANY_KEYS",
    "writes",
  ],
  ["a key that is not a string", { ...valid(), reads: ["n", 7] }, "TX_MALFORMED", "reads[1]"],
  ["an empty key", { ...valid(), writes: ["", "a", "n"] }, "TX_MALFORMED", "writes[0]"],
  ["a key with a NUL", { ...valid(), writes: ["a", "n", "x\0y"] }, "TX_MALFORMED", "writes[2]"],
  ["a key with a lone surrogate", { ...valid(), reads: ["\uD800"] }, "TX_MALFORMED", "reads[0]"],
  ["a key over maxKeyBytes", { ...valid(), writes: ["ééééé"] }, "TX_KEY_TOO_LONG", "writes[0]"],
  ["missing ops", { ...valid(), ops: undefined }, "TX_MALFORMED", "ops"],
  ["ops that are not an array", { ...valid(), ops: {} }, "TX_MALFORMED", "ops"],
  ["no ops", { ...valid(), ops: [] }, "TX_MALFORMED", "ops"],
  [
    "too many ops",
    { ...valid(), ops: Array.from({ length: 5 }, () => ({ op: "delete", key: "a" })) },
    "TX_TOO_MANY_KEYS",
    "ops",
  ],
  ["an op that is not an object", withOp("put"), "TX_MALFORMED", "ops[0]"],
  ["an op without a name", withOp({ key: "a" }), "TX_MALFORMED", "ops[0].op"],
  ["an unknown op", withOp({ op: "get", key: "a" }), "TX_MALFORMED", "ops[0].op"],
  [
    "an op named after a prototype member",
    withOp({ op: "toString", key: "a" }),
    "TX_MALFORMED",
    "ops[0].op",
  ],
  [
    "an unknown op field",
    withOp({ op: "put", key: "a", value: 1, ttl: 5 }),
    "TX_MALFORMED",
    "ops[0].ttl",
  ],
  [
    "a field of another op",
    withOp({ op: "put", key: "a", value: 1, by: 2 }),
    "TX_MALFORMED",
    "ops[0].by",
  ],
  [
    "a delete with a value",
    withOp({ op: "delete", key: "a", value: 1 }),
    "TX_MALFORMED",
    "ops[0].value",
  ],
  ["an op without a key", withOp({ op: "delete" }), "TX_MALFORMED", "ops[0].key"],
  ["an op with an empty key", withOp({ op: "delete", key: "" }), "TX_MALFORMED", "ops[0].key"],
  [
    "an op key over maxKeyBytes",
    withOp({ op: "delete", key: "123456789" }),
    "TX_KEY_TOO_LONG",
    "ops[0].key",
  ],
  ["a put without a value", withOp({ op: "put", key: "a" }), "TX_MALFORMED", "ops[0].value"],
  ["a null value", withOp({ op: "put", key: "a", value: null }), "TX_MALFORMED", "ops[0].value"],
  [
    "a NaN value",
    withOp({ op: "put", key: "a", value: Number.NaN }),
    "TX_MALFORMED",
    "ops[0].value",
  ],
  [
    "an infinite value",
    withOp({ op: "put", key: "a", value: Infinity }),
    "TX_MALFORMED",
    "ops[0].value",
  ],
  ["an array value", withOp({ op: "put", key: "a", value: [1] }), "TX_MALFORMED", "ops[0].value"],
  ["a bigint value", withOp({ op: "put", key: "a", value: 1n }), "TX_MALFORMED", "ops[0].value"],
  [
    "another typed array",
    withOp({ op: "put", key: "a", value: new Int8Array(1) }),
    "TX_MALFORMED",
    "ops[0].value",
  ],
  [
    "a value string with a lone surrogate",
    withOp({ op: "put", key: "a", value: "\uDC00" }),
    "TX_MALFORMED",
    "ops[0].value",
  ],
  [
    "an object value other than $bytes",
    withOp({ op: "put", key: "a", value: { $base64: "AA==" } }),
    "TX_MALFORMED",
    "ops[0].value.$base64",
  ],
  [
    "$bytes that is not a string",
    withOp({ op: "put", key: "a", value: { $bytes: [1] } }),
    "TX_MALFORMED",
    "ops[0].value.$bytes",
  ],
  [
    "$bytes without padding",
    withOp({ op: "put", key: "a", value: { $bytes: "AQ" } }),
    "TX_MALFORMED",
    "ops[0].value.$bytes",
  ],
  [
    "$bytes with junk",
    withOp({ op: "put", key: "a", value: { $bytes: "A Q==" } }),
    "TX_MALFORMED",
    "ops[0].value.$bytes",
  ],
  [
    "$bytes in url-safe base64",
    withOp({ op: "put", key: "a", value: { $bytes: "-_8=" } }),
    "TX_MALFORMED",
    "ops[0].value.$bytes",
  ],
  [
    "a fractional increment",
    withOp({ op: "increment", key: "a", by: 1.5 }),
    "TX_MALFORMED",
    "ops[0].by",
  ],
  [
    "an increment by a string",
    withOp({ op: "increment", key: "a", by: "2" }),
    "TX_MALFORMED",
    "ops[0].by",
  ],
  [
    "an increment past safe integers",
    withOp({ op: "increment", key: "a", by: 2 ** 53 }),
    "TX_MALFORMED",
    "ops[0].by",
  ],
  [
    "a cas without expect",
    withOp({ op: "cas", key: "a", value: 1 }),
    "TX_MALFORMED",
    "ops[0].expect",
  ],
  [
    "a cas without value",
    withOp({ op: "cas", key: "a", expect: null }),
    "TX_MALFORMED",
    "ops[0].value",
  ],
  [
    "a cas expecting NaN",
    withOp({ op: "cas", key: "a", expect: Number.NaN, value: 1 }),
    "TX_MALFORMED",
    "ops[0].expect",
  ],
  [
    "a put to an undeclared key",
    withOp({ op: "put", key: "b", value: 1 }),
    "TX_UNDECLARED_KEY",
    "ops[0].key",
  ],
  [
    "a delete of a read-only key",
    withOp({ op: "delete", key: "a" }, { writes: ["b"] }),
    "TX_UNDECLARED_KEY",
    "ops[0].key",
  ],
  [
    "an increment not declared as a read",
    withOp({ op: "increment", key: "a" }, { reads: [] }),
    "TX_UNDECLARED_KEY",
    "ops[0].key",
  ],
  [
    "a cas not declared as a read",
    withOp({ op: "cas", key: "a", expect: 1, value: 2 }, { reads: ["b"] }),
    "TX_UNDECLARED_KEY",
    "ops[0].key",
  ],
  ["a nonce that is not a string", { ...valid(), nonce: 1 }, "TX_MALFORMED", "nonce"],
  ["an empty nonce", { ...valid(), nonce: "" }, "TX_MALFORMED", "nonce"],
  ["a nonce with a lone surrogate", { ...valid(), nonce: "\uD800" }, "TX_MALFORMED", "nonce"],
  [
    "a nonce over its limit",
    { ...valid(), nonce: "x".repeat(MAX_NONCE_BYTES + 1) },
    "TX_MALFORMED",
    "nonce",
  ],
];

describe("parseTx", () => {
  it.each(badInputs)("rejects %s", (_name, input, code, path) => {
    const err = txErrorOf(() => parseTx(input, limits));
    expect(err.code).toBe(code);
    expect((err.type as { path?: string }).path).toBe(path);
    expect(err.message).toMatch(/^Cannot accept transaction: /);
  });

  it("names the list, the key and the op when a key is undeclared", () => {
    const input = {
      kind: "kv",
      reads: [],
      writes: ["x"],
      ops: [
        { op: "put", key: "x", value: 1 },
        { op: "delete", key: "x" },
        { op: "put", key: "a", value: 1 },
      ],
    };
    const err = txErrorOf(() => parseTx(input, limits));
    expect(err.message).toBe(
      'Cannot accept transaction: writes must list key "a" because op 2 writes it',
    );
    expect(err.type).toEqual({
      code: "TX_UNDECLARED_KEY",
      path: "ops[2].key",
      key: "a",
      list: "writes",
      op: 2,
    });
  });

  it("says a reading op needs its key in reads", () => {
    const err = txErrorOf(() =>
      parseTx(withOp({ op: "increment", key: "a" }, { reads: [] }), limits),
    );
    expect(err.message).toBe(
      'Cannot accept transaction: reads must list key "a" because op 0 reads it',
    );
  });

  it("names the field path and reason in a malformed message", () => {
    const err = txErrorOf(() => parseTx(withOp({ op: "put", key: 3, value: 1 }), limits));
    expect(err.message).toBe("Cannot accept transaction: ops[0].key must be a string");
    expect(err.type).toEqual({
      code: "TX_MALFORMED",
      path: "ops[0].key",
      reason: "must be a string",
    });
  });

  it("rejects a transaction whose canonical encoding is over maxTxBytes, with size and limit", () => {
    const input = withOp({ op: "put", key: "a", value: "v".repeat(200) });
    const err = txErrorOf(() => parseTx(input, { ...limits, maxTxBytes: 100 }));
    expect(err.code).toBe("TX_TOO_LARGE");
    expect(err.type).toMatchObject({ limit: 100 });
    const size = (err.type as { size: number }).size;
    expect(size).toBeGreaterThan(200);
    expect(err.message).toBe(
      `Cannot accept transaction: it is ${size} bytes, over the limit of 100`,
    );
    expect(parseTx(input, { ...limits, maxTxBytes: size })).toBeDefined();
  });

  it("reports the key size and limit when a key is too long", () => {
    const err = txErrorOf(() => parseTx({ ...valid(), writes: ["ééééé"] }, limits));
    expect(err.type).toEqual({ code: "TX_KEY_TOO_LONG", path: "writes[0]", bytes: 10, limit: 8 });
  });

  it("reports the count and limit when a list is too long", () => {
    const err = txErrorOf(() => parseTx({ ...valid(), reads: ["a", "b", "c", "d", "e"] }, limits));
    expect(err.type).toEqual({ code: "TX_TOO_MANY_KEYS", path: "reads", count: 5, limit: 4 });
  });

  it("defaults to 1024 keys per list and 256 bytes per key", () => {
    const wide = { maxTxBytes: 1_000_000 };
    const keys = ["n", ...Array.from({ length: DEFAULT_MAX_KEYS - 1 }, (_, i) => `k${i}`)];
    expect(parseTx({ ...valid(), reads: keys }, wide).reads).toHaveLength(DEFAULT_MAX_KEYS);
    expect(txErrorOf(() => parseTx({ ...valid(), reads: [...keys, "x"] }, wide)).code).toBe(
      "TX_TOO_MANY_KEYS",
    );
    const longKey = "k".repeat(DEFAULT_MAX_KEY_BYTES);
    expect(parseTx({ ...valid(), reads: ["n", longKey] }, wide).reads).toEqual([longKey, "n"]);
    expect(txErrorOf(() => parseTx({ ...valid(), reads: ["n", `${longKey}k`] }, wide)).code).toBe(
      "TX_KEY_TOO_LONG",
    );
  });

  it.each([
    ["maxTxBytes", { maxTxBytes: Number.NaN }],
    ["maxTxBytes", { maxTxBytes: 0 }],
    ["maxKeys", { maxTxBytes: 10, maxKeys: -1 }],
    ["maxKeyBytes", { maxTxBytes: 10, maxKeyBytes: 1.5 }],
  ])("refuses a nonsensical %s limit", (name, bad) => {
    const err = txErrorOf(() => parseTx(valid(), bad));
    expect(err.type).toEqual({
      code: "TX_BAD_ARGUMENT",
      name,
      reason: "not a positive safe integer",
    });
  });

  it("accepts every op kind with declared keys", () => {
    const input = {
      kind: "kv",
      reads: ["c", "n"],
      writes: ["a", "b", "c", "n"],
      ops: [
        { op: "put", key: "a", value: "text" },
        { op: "put", key: "a", value: 1.25 },
        { op: "put", key: "a", value: false },
        { op: "put", key: "a", value: { $bytes: "AQID" } },
        { op: "delete", key: "b" },
        { op: "increment", key: "n", by: -3 },
        { op: "cas", key: "c", expect: null, value: 1 },
        { op: "cas", key: "c", expect: 1, value: new Uint8Array([9]) },
      ],
      nonce: "retry-2",
    };
    expect(parseTx(input, { ...limits, maxKeys: 8 })).toEqual({
      kind: "kv",
      nonce: "retry-2",
      reads: ["c", "n"],
      writes: ["a", "b", "c", "n"],
      ops: [
        { op: "put", key: "a", value: "text" },
        { op: "put", key: "a", value: 1.25 },
        { op: "put", key: "a", value: false },
        { op: "put", key: "a", value: new Uint8Array([1, 2, 3]) },
        { op: "delete", key: "b" },
        { op: "increment", key: "n", by: -3 },
        { op: "cas", key: "c", expect: null, value: 1 },
        { op: "cas", key: "c", expect: 1, value: new Uint8Array([9]) },
      ],
    });
  });

  it("sorts and deduplicates reads and writes by code point", () => {
    const input = {
      kind: "kv",
      reads: ["b", "a", "b"],
      writes: ["\u{1F600}", "\uFB01", "z", "a", "z"],
      ops: [{ op: "put", key: "z", value: 1 }],
    };
    const tx = parseTx(input, { ...limits, maxKeys: 8 });
    expect(tx.reads).toEqual(["a", "b"]);
    // UTF-8 order puts U+FB01 before U+1F600, unlike UTF-16 code unit order.
    expect(tx.writes).toEqual(["a", "z", "\uFB01", "\u{1F600}"]);
  });

  it("drops an increment's default by and normalises negative zero", () => {
    const tx = parseTx(
      {
        kind: "kv",
        reads: ["n"],
        writes: ["n"],
        ops: [
          { op: "increment", key: "n", by: 1 },
          { op: "increment", key: "n", by: -0 },
          { op: "put", key: "n", value: -0 },
        ],
      },
      limits,
    );
    expect(tx.ops[0]).toEqual({ op: "increment", key: "n" });
    expect(Object.is((tx.ops[1] as { by: number }).by, 0)).toBe(true);
    expect(Object.is((tx.ops[2] as { value: number }).value, 0)).toBe(true);
  });

  it("treats fields set to undefined as absent", () => {
    const tx = parseTx({ ...valid(), nonce: undefined, extra: undefined }, limits);
    expect("nonce" in tx).toBe(false);
  });

  it("accepts objects without a prototype, as some decoders build", () => {
    const input = Object.assign(Object.create(null) as object, valid());
    expect(parseTx(input, limits).kind).toBe("kv");
  });

  it("copies bytes into a plain Uint8Array so no caller buffer is aliased", () => {
    const source = Buffer.from([1, 2, 3]);
    const tx = parseTx(withOp({ op: "put", key: "a", value: source }), limits);
    const value = (tx.ops[0] as { value: Uint8Array }).value;
    expect(value.constructor).toBe(Uint8Array);
    source[0] = 9;
    expect(value[0]).toBe(1);
  });

  it("accepts empty bytes", () => {
    const tx = parseTx(withOp({ op: "put", key: "a", value: { $bytes: "" } }), limits);
    expect(tx.ops[0]).toEqual({ op: "put", key: "a", value: new Uint8Array() });
  });

  it("is idempotent on its own output", () => {
    const once = parseTx(valid(), limits);
    expect(parseTx(once, limits)).toEqual(once);
  });
});
