import { describe, expect, it } from "vitest";
import { planRelease, UpgradeError } from "../../../src/upgrade";

const running = [
  { name: "upgrade", version: "1.0.0" },
  { name: "consensus", version: "1.0.0" },
  { name: "executor", version: "1.0.0" },
  { name: "storage", version: "1.0.0" },
  { name: "api", version: "1.0.0" },
];
const next = {
  upgrade: { version: "1.1.0" },
  consensus: { version: "1.1.0" },
  executor: { version: "1.1.0" },
  storage: { version: "1.0.0" },
  api: { version: "1.1.0" },
};

describe("planRelease", () => {
  it("swaps every changed module by default, in dependency order, the upgrade engine last", () => {
    const plan = planRelease(running, next, { version: "1.1.0" });
    expect(plan.swap.map((e) => e.name)).toEqual(["executor", "consensus", "api", "upgrade"]);
    expect(plan.restart).toEqual([]);
  });

  it("follows the manifest's instructions: restart leaves the swap list for the restart list", () => {
    const plan = planRelease(running, next, {
      version: "1.1.0",
      instructions: { api: "restart", executor: "swap" },
    });
    expect(plan.swap.map((e) => e.name)).toEqual(["executor", "consensus", "upgrade"]);
    expect(plan.restart).toEqual([{ name: "api", version: "1.1.0" }]);
  });

  it("ignores an instruction for a module that did not change", () => {
    const plan = planRelease(running, next, {
      version: "1.1.0",
      instructions: { storage: "binary" },
    });
    expect(plan.swap.map((e) => e.name)).toContain("consensus");
  });

  it("refuses a change that needs a binary release, naming the engines", () => {
    const plan = () =>
      planRelease(running, next, {
        version: "1.1.0",
        instructions: { consensus: "binary", api: "binary" },
      });
    expect(plan).toThrow(UpgradeError);
    expect(plan).toThrow(/needs a binary release/);
    expect(plan).toThrow(/consensus, api/);
  });

  it("refuses to restart the upgrade engine, which runs the release", () => {
    expect(() =>
      planRelease(running, next, { version: "1.1.0", instructions: { upgrade: "restart" } }),
    ).toThrow(/can only swap itself/);
  });
});
