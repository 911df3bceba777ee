import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/upgrade";

describe("canonicalJson()", () => {
  const cases: Array<[string, unknown, string]> = [
    [
      "sorts keys at every depth",
      { b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } },
      '{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}',
    ],
    ["escapes strings as JSON does", { s: 'a"b\n\u2028' }, '{"s":"a\\"b\\n\u2028"}'],
    ["keeps array order", [3, 1, 2], "[3,1,2]"],
    [
      "writes booleans and empty containers",
      { t: true, f: false, o: {}, a: [] },
      '{"a":[],"f":false,"o":{},"t":true}',
    ],
  ];
  it.each(cases)("%s", (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it("gives the same text whatever order the keys were inserted in", () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  const refused: Array<[string, unknown]> = [
    ["a float", { n: 1.5 }],
    ["an unsafe integer", { n: 2 ** 60 }],
    ["undefined", { u: undefined }],
    ["a bigint", { b: 1n }],
    ["NaN", [Number.NaN]],
  ];
  it.each(refused)("refuses %s", (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(/Cannot encode/);
  });
});
