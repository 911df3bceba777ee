import { Buffer } from "node:buffer";
import { isWellFormed } from "./isWellFormed";
import { malformed, TxError } from "./txError";

/** Storage separates a key from its height with a NUL byte, so keys may not contain one. */
export function parseKey(input: unknown, path: string, maxKeyBytes: number): string {
  if (typeof input !== "string") throw malformed(path, "must be a string");
  if (input.length === 0) throw malformed(path, "must not be empty");
  if (input.includes("\0")) throw malformed(path, "must not contain a NUL character");
  if (!isWellFormed(input)) throw malformed(path, "must be well-formed Unicode");
  const bytes = Buffer.byteLength(input, "utf8");
  if (bytes > maxKeyBytes) {
    throw new TxError(
      { code: "TX_KEY_TOO_LONG", path, bytes, limit: maxKeyBytes },
      `Cannot accept transaction: ${path} is ${bytes} bytes, over the limit of ${maxKeyBytes}`,
    );
  }
  return input;
}
