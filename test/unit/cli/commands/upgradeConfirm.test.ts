import { describe, expect, it } from "vitest";
import { type ConfirmInput, confirm } from "../../../../src/cli/commands/upgrade/confirm";

function scripted(isTTY: boolean, answer: string): ConfirmInput & { asked: string[] } {
  const asked: string[] = [];
  return {
    isTTY,
    asked,
    ask: async (question) => {
      asked.push(question);
      return answer;
    },
  };
}

describe("confirm()", () => {
  it("takes --yes without asking", async () => {
    const input = scripted(false, "");
    expect(await confirm("Lift?", { yes: true, input })).toBe("yes");
    expect(input.asked).toEqual([]);
  });

  it("cannot ask without a terminal, whatever a pipe would say", async () => {
    const input = scripted(false, "y");
    expect(await confirm("Lift?", { yes: false, input })).toBe("cannot-ask");
    expect(input.asked).toEqual([]);
  });

  it.each([
    ["y", "yes"],
    [" YES ", "yes"],
    ["n", "no"],
    ["", "no"],
    ["sure", "no"],
  ])("asks on a terminal with a y/N default of no: %j is %s", async (answer, result) => {
    const input = scripted(true, answer);
    expect(await confirm("Lift?", { yes: false, input })).toBe(result);
    expect(input.asked).toEqual(["Lift? [y/N] "]);
  });
});
