import { describe, expect, it } from "vitest";
import { MAX_QUOTED_HEADER_CHARS, quoteHeader } from "../../../src/api";

describe("quoteHeader()", () => {
  it.each([
    [undefined, "(none)"],
    ["", '""'],
    ["attacker.example:7710", '"attacker.example:7710"'],
    ['say "hi"\\', '"say \\"hi\\"\\\\"'],
    ["caf\u00e9\u0000\u001b[31m", '"caf???[31m"'],
    ["a".repeat(MAX_QUOTED_HEADER_CHARS), `"${"a".repeat(MAX_QUOTED_HEADER_CHARS)}"`],
    ["a".repeat(MAX_QUOTED_HEADER_CHARS + 1), `"${"a".repeat(MAX_QUOTED_HEADER_CHARS)}..."`],
    ["b".repeat(100_000), `"${"b".repeat(MAX_QUOTED_HEADER_CHARS)}..."`],
  ])("quotes %j as %s", (value, quoted) => {
    expect(quoteHeader(value)).toBe(quoted);
  });
});
