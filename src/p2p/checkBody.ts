import { MAX_BODY_DEPTH } from "./frameLimits";

/**
 * Null when `value` holds only plain data (nil, booleans, numbers, bigints, strings, byte
 * arrays, arrays, plain maps) nested at most MAX_BODY_DEPTH deep; otherwise why not.
 * msgpackr turns some extension types into Dates or marker objects; those never reach
 * an application as a message body.
 */
export function checkBody(value: unknown, depth = 0): string | null {
  if (depth > MAX_BODY_DEPTH) return `nested deeper than ${MAX_BODY_DEPTH}`;
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "boolean":
    case "number":
    case "bigint":
    case "string":
      return null;
    case "object":
      break;
    default:
      return `holds a ${typeof value}`;
  }
  if (value instanceof Uint8Array) return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = checkBody(item, depth + 1);
      if (problem !== null) return problem;
    }
    return null;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return "holds a non-plain object";
  for (const item of Object.values(value)) {
    const problem = checkBody(item, depth + 1);
    if (problem !== null) return problem;
  }
  return null;
}
