import { describe, expect, it } from "vitest";
import { readUint64BE, uint64BE } from "../../../src/storage/bytes";

describe("byte helpers", () => {
  it("uint64BE() sorts like the numbers it encodes, up to 2^53 - 1", () => {
    const numbers = [0, 1, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER];
    for (const n of numbers) expect(readUint64BE(uint64BE(n), 0)).toBe(n);
    const sorted = numbers.map(uint64BE).sort(Buffer.compare);
    expect(sorted.map((b) => readUint64BE(b, 0))).toEqual(numbers);
  });

  it("readUint64BE() of a value above 2^53 - 1 is not a safe integer", () => {
    const raw = Uint8Array.of(0, 0x20, 0, 0, 0, 0, 0, 1);
    expect(Number.isSafeInteger(readUint64BE(raw, 0))).toBe(false);
  });
});
