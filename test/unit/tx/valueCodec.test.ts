import { describe, expect, it } from "vitest";
import { decodeValue, encodeValue, type KvValue } from "../../../src/tx";
import { txErrorOf } from "./txErrorOf";

describe("encodeValue and decodeValue", () => {
  it.each<[string, KvValue]>([
    ["an empty string", ""],
    ["unicode", "ünï \u{1F600}"],
    ["zero", 0],
    ["a negative integer", -7],
    ["a large safe integer", 2 ** 53 - 1],
    ["a fraction", 0.1],
    ["true", true],
    ["false", false],
    ["bytes", new Uint8Array([0, 255, 7])],
    ["empty bytes", new Uint8Array()],
  ])("round-trips %s", (_name, value) => {
    const back = decodeValue(encodeValue(value));
    expect(back).toEqual(value);
    if (value instanceof Uint8Array) expect(back.constructor).toBe(Uint8Array);
  });

  it("encodes the same value to the same bytes every time", () => {
    const a = Buffer.from(encodeValue("same"));
    encodeValue(new Uint8Array(5000));
    expect(Buffer.from(encodeValue("same")).equals(a)).toBe(true);
  });

  it("keeps types apart", () => {
    const encodings = new Set(
      [1, "1", true, new Uint8Array([1])].map((v) => Buffer.from(encodeValue(v)).toString("hex")),
    );
    expect(encodings.size).toBe(4);
  });

  it("does not alias the buffer it decoded from", () => {
    const bytes = encodeValue(new Uint8Array([1, 2, 3]));
    const value = decodeValue(bytes) as Uint8Array;
    bytes.fill(0);
    expect([...value]).toEqual([1, 2, 3]);
  });

  it.each<[string, unknown]>([
    ["NaN", Number.NaN],
    ["null", null],
    ["an object", { a: 1 }],
  ])("refuses to encode %s", (_name, value) => {
    expect(txErrorOf(() => encodeValue(value as KvValue)).code).toBe("TX_BAD_ARGUMENT");
  });

  it.each<[string, number[], string]>([
    ["nil", [0xc0], "not a string, finite number, boolean or bytes"],
    ["a map", [0x80], "not a string, finite number, boolean or bytes"],
    [
      "a 64-bit integer",
      [0xcf, 1, 0, 0, 0, 0, 0, 0, 0],
      "not a string, finite number, boolean or bytes",
    ],
    ["NaN", [0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0], "not a string, finite number, boolean or bytes"],
    ["truncated msgpack", [0xd9, 0x05], "not valid msgpack"],
  ])("reports stored %s as corrupt", (_name, bytes, reason) => {
    const err = txErrorOf(() => decodeValue(new Uint8Array(bytes)));
    expect(err.type).toEqual({ code: "TX_CORRUPT", record: "value", reason });
    expect(err.message).toBe(`Cannot read stored value: it is ${reason}`);
  });
});
