import { describe, expect, it } from "vitest";
import { CliError } from "../../../src/cli/cliError";
import { EXIT } from "../../../src/cli/exitCodes";
import { collect, parseIntOption } from "../../../src/cli/parsers";

describe("parseIntOption()", () => {
  const parse = parseIntOption("--n", 1, 10);

  it("accepts integers within the range, bounds included", () => {
    expect(parse("1")).toBe(1);
    expect(parse("10")).toBe(10);
    expect(parseIntOption("--at")("0")).toBe(0);
  });

  it.each([["0"], ["11"], ["1.5"], ["-2"], [""], ["1e2"], [" 3"], ["9007199254740993"]])(
    "refuses %j with a usage error naming the flag and range",
    (raw) => {
      let caught: unknown;
      try {
        parse(raw);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(CliError);
      expect((caught as CliError).exit).toBe(EXIT.USAGE);
      expect((caught as CliError).message).toBe(
        `Cannot use --n ${raw}: expected an integer from 1 to 10`,
      );
    },
  );
});

describe("collect()", () => {
  it("appends each occurrence of a repeatable option", () => {
    expect(collect("a", undefined)).toEqual(["a"]);
    const first = ["a"];
    expect(collect("b", first)).toEqual(["a", "b"]);
    expect(first).toEqual(["a"]);
  });
});
