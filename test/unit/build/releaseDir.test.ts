import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { prepareReleaseDir } from "../../../build/lib/releaseDir.mjs";
import { useTempDir } from "../../support/useTempDir";

describe("the release folder", () => {
  const dir = useTempDir();

  it("refuses to empty a folder the release command did not make", () => {
    const mine = join(dir(), "work");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "keep me");
    expect(() => prepareReleaseDir(mine)).toThrow(
      /not empty and was not made by the release command/,
    );
    expect(readFileSync(join(mine, "notes.txt"), "utf8")).toBe("keep me");
  });

  it("empties its own folder from a previous run", () => {
    const out = join(dir(), "release");
    prepareReleaseDir(out);
    writeFileSync(join(out, "old-binary"), "x");
    prepareReleaseDir(out);
    expect(existsSync(join(out, "old-binary"))).toBe(false);
  });
});
