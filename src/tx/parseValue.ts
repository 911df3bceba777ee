import { Buffer } from "node:buffer";
import { fieldPath } from "./fieldPath";
import { isWellFormed } from "./isWellFormed";
import type { KvValue } from "./kvTx";
import { readFields } from "./readFields";
import { malformed } from "./txError";

const BYTES_FIELD = "$bytes";

/**
 * Accepts a string, a finite number, a boolean, or bytes. Bytes arrive as a Uint8Array
 * from msgpack or code, and from JSON as `{ "$bytes": "<standard base64, padded>" }`.
 */
export function parseValue(input: unknown, path: string): KvValue {
  switch (typeof input) {
    case "string":
      if (!isWellFormed(input)) throw malformed(path, "must be well-formed Unicode");
      return input;
    case "number":
      if (!Number.isFinite(input)) throw malformed(path, "must be a finite number");
      // msgpack writes -0 as the integer 0, so keep the parsed form equal to its round trip.
      return input === 0 ? 0 : input;
    case "boolean":
      return input;
  }
  if (input instanceof Uint8Array) return new Uint8Array(input);
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    return parseBase64(readFields(input, path, [BYTES_FIELD])[BYTES_FIELD], path);
  }
  throw malformed(path, "must be a string, a number, a boolean or bytes");
}

function parseBase64(input: unknown, parent: string): Uint8Array {
  const path = fieldPath(parent, BYTES_FIELD);
  if (typeof input !== "string") throw malformed(path, "must be a base64 string");
  const bytes = Buffer.from(input, "base64");
  // Node's decoder skips stray characters, so a typo would quietly become other bytes.
  if (bytes.toString("base64") !== input) {
    throw malformed(path, "must be standard base64 with padding");
  }
  return new Uint8Array(bytes);
}
