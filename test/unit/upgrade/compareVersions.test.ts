import { describe, expect, it } from "vitest";
import { compareVersions, isReleaseVersion, isVersion } from "../../../src/upgrade";

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

  it.each([
    "1.2",
    "v1.2.3",
    "01.2.3",
    "1.2.3-",
    "latest",
    "",
    // semver.org §9: numeric pre-release identifiers must not have leading zeros.
    "1.0.0-01",
    "1.0.0-rc.00",
    "1.0.0-alpha.007+b",
  ])("refuses %j", (v) => {
    expect(isVersion(v)).toBe(false);
    expect(() => compareVersions(v, "1.0.0")).toThrow(/not a semantic version/);
  });

  it.each(["1.0.0-0", "1.0.0-rc.0", "1.0.0-0a", "1.0.0-00a", "1.0.0-x.10"])(
    "takes %j (zero itself, and alphanumeric identifiers, may start with 0)",
    (v) => {
      expect(isVersion(v)).toBe(true);
    },
  );
});

describe("isReleaseVersion()", () => {
  it.each([
    ["0.7.0", true],
    ["0.7.0-rc.1", true],
    // Build metadata does not take part in precedence, so two manifests differing only in
    // it would be one version to compareVersions and two to everything keyed by string.
    ["0.7.0+a", false],
    ["0.7.0-rc.1+b", false],
    ["1.0.0-01", false],
    ["next", false],
  ])("%j: %s", (v, ok) => {
    expect(isReleaseVersion(v)).toBe(ok);
  });
});
