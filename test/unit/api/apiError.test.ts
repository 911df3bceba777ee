import { describe, expect, it } from "vitest";
import { ApiError, errorReply, httpStatusOf } from "../../../src/api";
import { NodeError } from "../../../src/errors";

describe("httpStatusOf()", () => {
  it.each([
    ["API_UNAUTHORIZED", 401],
    ["API_ORIGIN_REFUSED", 403],
    ["API_HOST_REFUSED", 421],
    ["API_NOT_FOUND", 404],
    ["API_BODY_TOO_LARGE", 413],
    ["TX_TOO_LARGE", 413],
    ["MEMPOOL_FULL", 503],
    ["STORAGE_READ_TIMEOUT", 504],
    ["CALL_TIMEOUT", 504],
    ["API_BAD_REQUEST", 400],
    ["API_PORT_IN_USE", 400],
    ["TX_UNDECLARED_KEY", 400],
    ["MEMPOOL_BAD_REQUEST", 400],
    ["STORAGE_BAD_KEY", 400],
    ["STORAGE_CORRUPT", 500],
    ["INTERNAL", 500],
    ["", 500],
  ])("maps %j to HTTP %i", (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });
});

describe("errorReply()", () => {
  it("turns a NodeError into its HTTP status and a { error: { code, message } } body", () => {
    const err = new ApiError({ code: "API_NOT_FOUND", path: "/x" }, "Cannot serve GET /x");
    expect(errorReply(err)).toEqual({
      status: 404,
      body: { error: { code: "API_NOT_FOUND", message: "Cannot serve GET /x" } },
    });
    expect(errorReply(new NodeError({ code: "TX_BAD" }, "bad tx")).status).toBe(400);
  });

  it("turns anything else into HTTP 500 with code INTERNAL", () => {
    expect(errorReply(new Error("boom"))).toEqual({
      status: 500,
      body: { error: { code: "INTERNAL", message: "boom" } },
    });
    expect(errorReply("just a string")).toEqual({
      status: 500,
      body: { error: { code: "INTERNAL", message: "just a string" } },
    });
  });
});
