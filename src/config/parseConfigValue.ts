import type { SchemaNode } from "./nodeOptionsSchema";

export type ParsedValue = { ok: true; value: unknown } | { ok: false; message: string };

const booleans: Record<string, boolean> = {
  true: true,
  false: false,
  "1": true,
  "0": false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

/**
 * Turns text from the environment or `config set` into the type the schema expects. Only
 * the shape is checked here; ranges and patterns are left to the schema so that every
 * layer gets the same messages.
 */
export function parseConfigValue(raw: string, schema: SchemaNode): ParsedValue {
  const text = raw.trim();
  switch (schema.type) {
    case "integer":
      return /^[+-]?\d+$/.test(text)
        ? { ok: true, value: Number(text) }
        : { ok: false, message: "must be an integer" };
    case "number": {
      const value = Number(text);
      return text !== "" && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, message: "must be a number" };
    }
    case "boolean": {
      const value = booleans[text.toLowerCase()];
      return value === undefined
        ? { ok: false, message: "must be true or false" }
        : { ok: true, value };
    }
    case "array":
    case "object":
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return {
          ok: false,
          message: `must be JSON (${schema.type === "array" ? "an array" : "an object"})`,
        };
      }
    case "string":
      return { ok: true, value: raw };
  }
}
