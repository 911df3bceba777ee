import { fieldPath } from "./fieldPath";
import { malformed } from "./txError";

/**
 * Checks that `input` is a plain object holding only `allowed` fields and every one of
 * `required`. Exact shapes keep two spellings of one transaction from hashing apart and
 * turn a misspelt optional field into an error instead of a silently ignored one. A field
 * set to `undefined` counts as absent: JSON cannot carry it, and callers building objects
 * in code often write it.
 */
export function readFields(
  input: unknown,
  path: string,
  allowed: readonly string[],
  required: readonly string[] = allowed,
): Record<string, unknown> {
  if (!isPlainObject(input)) throw malformed(path, "must be an object");
  for (const field of Object.keys(input)) {
    if (!allowed.includes(field) && input[field] !== undefined) {
      throw malformed(fieldPath(path, field), "is not a known field");
    }
  }
  for (const field of required) {
    if (input[field] === undefined) throw malformed(fieldPath(path, field), "is missing");
  }
  return input;
}

function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (typeof input !== "object" || input === null) return false;
  const proto = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
}
