import { describe, expect, it } from "vitest";
import { compareVersions, isVersion } from "../../../src/upgrade";

describe("compareVersions()", () => {
  const ordered = [
    "0.1.0",
    "0.1.1-alpha",
    "0.1.1-alpha.1",
    "0.1.1-alpha.beta",
    "0.1.1-beta.2",
    "0.1.1-beta.11",
    "0.1.1-rc.1",
    "0.1.1",
    "0.2.0",
    "0.10.0",
    "1.0.0",
  ];
  it("orders versions as semver.org does", () => {
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        const a = ordered[i] as string;
        const b = ordered[j] as string;
        expect(Math.sign(compareVersions(a, b)), `${a} vs ${b}`).toBe(Math.sign(i - j));
      }
    }
  });

  it("ignores build metadata", () => {
    expect(compareVersions("1.2.3+g1a2b", "1.2.3")).toBe(0);
  });

  it.each(["1.2", "v1.2.3", "01.2.3", "1.2.3-", "latest", ""])("refuses %j", (v) => {
    expect(isVersion(v)).toBe(false);
    expect(() => compareVersions(v, "1.0.0")).toThrow(/not a semantic version/);
  });
});
