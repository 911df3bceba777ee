import { describe, expect, it } from "vitest";
import { toJsonValue } from "../../../src/api";

describe("toJsonValue()", () => {
  it("turns bytes into { $bytes: base64 }", () => {
    expect(toJsonValue(Uint8Array.of(0, 1, 255))).toEqual({ $bytes: "AAH/" });
    expect(toJsonValue(Buffer.from("hi"))).toEqual({ $bytes: "aGk=" });
  });

  it("passes every other value through", () => {
    for (const v of ["s", 1, true, null, { a: 1 }]) expect(toJsonValue(v)).toBe(v);
  });
});
