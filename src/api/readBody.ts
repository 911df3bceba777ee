import type { IncomingMessage } from "node:http";
import { ApiError } from "./apiError";

/** Bodies bigger than this are refused before they are buffered. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Reads a whole body, refusing one over `limit` before buffering it. On refusal it stops
 * reading: the 413 reply goes out first and the connection is closed after it.
 */
export async function readRawBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads and parses a JSON body, refusing oversized or malformed ones with a clear error. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = (await readRawBody(req, limit)).toString("utf8");
  if (text.trim() === "")
    throw new ApiError(
      { code: "API_BAD_REQUEST", reason: "empty body" },
      "Cannot read request: the body is empty",
    );
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(
      { code: "API_BAD_REQUEST", reason: "invalid JSON" },
      `Cannot read request: the body is not valid JSON (${(err as Error).message})`,
    );
  }
}

function tooLarge(limit: number): ApiError {
  return new ApiError(
    { code: "API_BODY_TOO_LARGE", limit },
    `Cannot read request: the body is larger than ${limit} bytes`,
  );
}
