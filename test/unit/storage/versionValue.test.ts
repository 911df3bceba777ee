import { describe, expect, it } from "vitest";
import { decodeVersion, encodeVersion } from "../../../src/storage/versionValue";

describe("version values", () => {
  it("keeps a tombstone apart from an empty value", () => {
    expect(decodeVersion(encodeVersion(undefined))).toBeUndefined();
    expect(decodeVersion(encodeVersion(new Uint8Array()))).toEqual(new Uint8Array());
    expect(decodeVersion(encodeVersion(Uint8Array.of(0)))).toEqual(Uint8Array.of(0));
  });

  it("reports an unknown tag as STORAGE_CORRUPT", () => {
    for (const raw of [new Uint8Array(), Uint8Array.of(7, 1), Uint8Array.of(0, 1)]) {
      expect(() => decodeVersion(raw)).toThrow(
        expect.objectContaining({ type: expect.objectContaining({ code: "STORAGE_CORRUPT" }) }),
      );
    }
  });
});
