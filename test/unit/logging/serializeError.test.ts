import { describe, expect, it } from "vitest";
import { serializeError } from "../../../src/logging";

describe("serializeError()", () => {
  it("passes values that are not errors through", () => {
    expect(serializeError("just text")).toBe("just text");
    expect(serializeError({ code: 1 })).toEqual({ code: 1 });
  });

  it("keeps numeric codes and drops non-scalar ones", () => {
    const numeric = Object.assign(new Error("a"), { code: 42 });
    const objectCode = Object.assign(new Error("b"), { code: { nested: true } });
    expect(serializeError(numeric)).toMatchObject({ code: 42 });
    expect(serializeError(objectCode)).not.toHaveProperty("code");
  });

  it("omits a missing stack", () => {
    const err = new Error("no stack");
    Reflect.deleteProperty(err, "stack");
    expect(serializeError(err)).toEqual({ type: "Error", message: "no stack" });
  });

  it("stops following a cause loop after a few levels", () => {
    const err = new Error("loop");
    err.cause = err;
    let depth = 0;
    let node = serializeError(err) as { cause?: unknown } | undefined;
    while (node?.cause !== undefined) {
      depth += 1;
      node = node.cause as { cause?: unknown };
    }
    expect(depth).toBe(3);
  });

  it("serialises a non-error cause as it is", () => {
    expect(serializeError(new Error("x", { cause: "reason" }))).toMatchObject({ cause: "reason" });
  });
});
