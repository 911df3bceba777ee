import { describe, expect, it } from "vitest";
import type { SchemaNode } from "../../../src/config";
import { parseConfigValue } from "../../../src/config/parseConfigValue";

const integer: SchemaNode = { type: "integer" };
const number: SchemaNode = { type: "number" };
const boolean: SchemaNode = { type: "boolean" };
const string: SchemaNode = { type: "string" };
const array: SchemaNode = { type: "array" };
const object: SchemaNode = { type: "object" };

describe("parseConfigValue()", () => {
  it.each([
    ["8000", integer, 8000],
    [" 8000 ", integer, 8000],
    ["-3", integer, -3],
    ["1.5", number, 1.5],
    ["1e3", number, 1000],
    ["true", boolean, true],
    ["OFF", boolean, false],
    ["0", boolean, false],
    [" spaced ", string, " spaced "],
    ['[{"address":"127.0.0.2:7711"}]', array, [{ address: "127.0.0.2:7711" }]],
    ['{"port":1}', object, { port: 1 }],
  ] as const)("reads %j as the schema type", (raw, schema, value) => {
    expect(parseConfigValue(raw, schema)).toEqual({ ok: true, value });
  });

  it.each([
    ["abc", integer, "must be an integer"],
    ["8000.5", integer, "must be an integer"],
    ["", integer, "must be an integer"],
    ["", number, "must be a number"],
    ["NaN", number, "must be a number"],
    ["maybe", boolean, "must be true or false"],
    ["[1,", array, "must be JSON (an array)"],
    ["{", object, "must be JSON (an object)"],
  ] as const)("refuses %j with a message", (raw, schema, message) => {
    expect(parseConfigValue(raw, schema)).toEqual({ ok: false, message });
  });
});
