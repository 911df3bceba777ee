import { describe, expect, it } from "vitest";
import { compareBytes } from "../../../src/storage/bytes";
import {
  dataKey,
  decodeDataKey,
  encodeUserKey,
  MAX_INDEX,
  versionsEnd,
  versionsStart,
} from "../../../src/storage/dataKey";
import { MAX_KEY_BYTES } from "../../../src/storage/limits";
import { prng } from "./helpers";

describe("encodeUserKey()", () => {
  it("returns the UTF-8 bytes of a valid key", () => {
    expect(Array.from(encodeUserKey("é"))).toEqual([0xc3, 0xa9]);
  });

  it.each([
    ["an empty key", "", /empty/],
    ["a key with NUL", "a\u0000b", /NUL/],
    ["a lone surrogate", "a\ud800", /well-formed/],
    ["an oversized key", "x".repeat(MAX_KEY_BYTES + 1), /over the limit of 1024/],
    ["a non-string", 42 as unknown as string, /not a string/],
  ])("rejects %s with STORAGE_BAD_KEY", (_name, key, reason) => {
    expect(() => encodeUserKey(key)).toThrow(
      expect.objectContaining({
        type: expect.objectContaining({
          code: "STORAGE_BAD_KEY",
          reason: expect.stringMatching(reason),
        }),
      }),
    );
  });

  it("accepts a key of exactly the byte limit", () => {
    expect(encodeUserKey("x".repeat(MAX_KEY_BYTES)).length).toBe(MAX_KEY_BYTES);
  });

  it("shortens very long keys in the error", () => {
    expect(() => encodeUserKey("y".repeat(5000))).toThrow(/"y{64}…"/);
  });
});

describe("dataKey()", () => {
  it("round-trips key, height and index", () => {
    const key = encodeUserKey("acct/1");
    const decoded = decodeDataKey(dataKey(key, Number.MAX_SAFE_INTEGER, MAX_INDEX));
    expect(decoded).toEqual({ key, height: Number.MAX_SAFE_INTEGER, index: MAX_INDEX });
  });

  it("sorts bytes in (key, height, index) order, with no key a prefix-collision of another", () => {
    const random = prng(7);
    const keys = ["a", "ab", "a\u0001", "b", "ß", "a/b", "aa"];
    const versions = Array.from({ length: 400 }, () => ({
      key: keys[Math.floor(random() * keys.length)] as string,
      height: Math.floor(random() * 2 ** 40) * (random() < 0.1 ? 8192 : 1),
      index: Math.floor(random() * 2 ** 32),
    }));
    const byTuple = [...versions].sort(
      (x, y) =>
        compareBytes(encodeUserKey(x.key), encodeUserKey(y.key)) ||
        x.height - y.height ||
        x.index - y.index,
    );
    const byBytes = [...versions].sort((x, y) =>
      compareBytes(
        dataKey(encodeUserKey(x.key), x.height, x.index),
        dataKey(encodeUserKey(y.key), y.height, y.index),
      ),
    );
    expect(byBytes).toEqual(byTuple);
  });

  it("places every version of a key inside its versions range and none of a longer key", () => {
    const a = encodeUserKey("a");
    const ab = encodeUserKey("ab");
    const inside = dataKey(a, Number.MAX_SAFE_INTEGER, MAX_INDEX);
    expect(compareBytes(inside, versionsStart(a))).toBeGreaterThan(0);
    expect(compareBytes(inside, versionsEnd(a))).toBeLessThan(0);
    expect(compareBytes(dataKey(ab, 0, 0), versionsEnd(a))).toBeGreaterThan(0);
  });

  it("decodeDataKey() reports a malformed key as STORAGE_CORRUPT", () => {
    expect(() => decodeDataKey(Uint8Array.of(1, 2, 3))).toThrow(
      expect.objectContaining({ type: expect.objectContaining({ code: "STORAGE_CORRUPT" }) }),
    );
    expect(() => decodeDataKey(new Uint8Array(14).fill(1))).toThrow(/malformed/);
  });
});
