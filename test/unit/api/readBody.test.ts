import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ApiError, MAX_BODY_BYTES, readJsonBody } from "../../../src/api";

/** A request as readJsonBody sees it: a readable body plus headers. */
function request(chunks: string[], headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), {
    headers,
  }) as unknown as IncomingMessage;
}

async function refusal(req: IncomingMessage, limit?: number): Promise<ApiError> {
  const err = await readJsonBody(req, limit).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe("readJsonBody()", () => {
  it("parses a JSON body that arrives in chunks", async () => {
    await expect(readJsonBody(request(['{"a":', "[1,2]}"]))).resolves.toEqual({ a: [1, 2] });
  });

  it("refuses an empty or blank body", async () => {
    for (const chunks of [[], ["  \n"]]) {
      const err = await refusal(request(chunks));
      expect(err.code).toBe("API_BAD_REQUEST");
      expect(err.message).toBe("Cannot read request: the body is empty");
    }
  });

  it("refuses a body that is not JSON, with the parser's reason", async () => {
    const err = await refusal(request(["{nope"]));
    expect(err.code).toBe("API_BAD_REQUEST");
    expect(err.message).toMatch(/^Cannot read request: the body is not valid JSON \(.+\)$/);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const req = request(["{}"], { "content-length": String(MAX_BODY_BYTES + 1) });
    const err = await refusal(req);
    expect(err.code).toBe("API_BODY_TOO_LARGE");
    expect(err.message).toBe(
      `Cannot read request: the body is larger than ${MAX_BODY_BYTES} bytes`,
    );
    expect(req.readableEnded).toBe(false);
  });

  it("refuses, and stops reading, a body that grows over the limit", async () => {
    const req = request(["[1,", "2,3", ",4]"]);
    const err = await refusal(req, 5);
    expect(err.code).toBe("API_BODY_TOO_LARGE");
    expect(err.type).toEqual({ code: "API_BODY_TOO_LARGE", limit: 5 });
    expect(req.destroyed).toBe(true);
  });
});
