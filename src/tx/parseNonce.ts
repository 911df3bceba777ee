import { Buffer } from "node:buffer";
import { isWellFormed } from "./isWellFormed";
import { malformed } from "./txError";
import { MAX_NONCE_BYTES } from "./txLimits";

/** An empty nonce would be a second spelling of "no nonce" with its own id. */
export function parseNonce(input: unknown): string {
  if (typeof input !== "string") throw malformed("nonce", "must be a string");
  if (input.length === 0) throw malformed("nonce", "must not be empty: omit it instead");
  if (!isWellFormed(input)) throw malformed("nonce", "must be well-formed Unicode");
  const bytes = Buffer.byteLength(input, "utf8");
  if (bytes > MAX_NONCE_BYTES) {
    throw malformed("nonce", `is ${bytes} bytes, over the limit of ${MAX_NONCE_BYTES}`);
  }
  return input;
}
