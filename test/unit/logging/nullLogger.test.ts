import { describe, expect, it } from "vitest";
import { nullLogger } from "../../../src/logging";

describe("nullLogger", () => {
  it("accepts every call and writes nothing", () => {
    for (const level of ["trace", "debug", "info", "warn", "error"] as const) {
      expect(nullLogger[level]("ignored", { token: "x" })).toBeUndefined();
    }
  });

  it("returns itself as its child", () => {
    expect(nullLogger.child({ module: "p2p" })).toBe(nullLogger);
  });

  it("cannot be altered by a test that patches it", () => {
    expect(Object.isFrozen(nullLogger)).toBe(true);
  });
});
