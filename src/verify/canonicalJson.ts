/**
 * Deterministic JSON: object keys sorted by code unit, no whitespace, integers only.
 * Signatures cover these bytes, so two implementations (or two versions of this one)
 * must produce exactly the same text for the same value; floats and `undefined` have
 * no single spelling, so they are refused rather than silently normalised.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, "$");
}

function encode(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`Cannot encode ${path}: ${value} is not a safe integer`);
      }
      return String(value);
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => encode(v, `${path}[${i}]`)).join(",")}]`;
      }
      const entries = Object.keys(value)
        .sort()
        .map((k) => {
          const v = (value as Record<string, unknown>)[k];
          if (v === undefined) throw new TypeError(`Cannot encode ${path}.${k}: undefined`);
          return `${JSON.stringify(k)}:${encode(v, `${path}.${k}`)}`;
        });
      return `{${entries.join(",")}}`;
    }
    default:
      throw new TypeError(`Cannot encode ${path}: a ${typeof value} has no JSON form`);
  }
}
