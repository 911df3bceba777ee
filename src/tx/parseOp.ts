import { fieldPath } from "./fieldPath";
import type { KvOp } from "./kvTx";
import { parseKey } from "./parseKey";
import { parseValue } from "./parseValue";
import { readFields } from "./readFields";
import { malformed } from "./txError";

const FIELDS = {
  put: { allowed: ["op", "key", "value"], required: ["op", "key", "value"] },
  delete: { allowed: ["op", "key"], required: ["op", "key"] },
  increment: { allowed: ["op", "key", "by"], required: ["op", "key"] },
  cas: { allowed: ["op", "key", "expect", "value"], required: ["op", "key", "expect", "value"] },
} as const;

type OpName = keyof typeof FIELDS;

/** Checks one op's shape and types; whether its key is declared is the caller's rule. */
export function parseOp(input: unknown, path: string, maxKeyBytes: number): KvOp {
  const name = readFields(input, path, ["op", "key", "by", "expect", "value"], ["op"]).op;
  if (!isOpName(name)) {
    throw malformed(fieldPath(path, "op"), 'must be "put", "delete", "increment" or "cas"');
  }
  const fields = readFields(input, path, FIELDS[name].allowed, FIELDS[name].required);
  const key = parseKey(fields.key, fieldPath(path, "key"), maxKeyBytes);
  switch (name) {
    case "put":
      return { op: name, key, value: parseValue(fields.value, fieldPath(path, "value")) };
    case "delete":
      return { op: name, key };
    case "increment":
      return fields.by === undefined
        ? { op: name, key }
        : { op: name, key, by: parseBy(fields.by, fieldPath(path, "by")) };
    case "cas":
      return {
        op: name,
        key,
        expect:
          fields.expect === null ? null : parseValue(fields.expect, fieldPath(path, "expect")),
        value: parseValue(fields.value, fieldPath(path, "value")),
      };
  }
}

function isOpName(name: unknown): name is OpName {
  return typeof name === "string" && Object.hasOwn(FIELDS, name);
}

function parseBy(input: unknown, path: string): number {
  if (!Number.isSafeInteger(input)) throw malformed(path, "must be a safe integer");
  return input === 0 ? 0 : (input as number);
}
