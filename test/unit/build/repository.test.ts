import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { repository } from "../../../build/lib/repository.mjs";

interface Repository {
  slug: string;
  home: string;
  latestDownload: string;
  releaseDownload(version: string): string;
}
const repo = repository() as Repository;

describe("repository()", () => {
  it("derives every download URL from package.json's repository", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { repository: { url: string } };
    expect(pkg.repository.url).toBe(`git+https://github.com/${repo.slug}.git`);
    expect(repo.releaseDownload("v0.2.0")).toBe(
      `https://github.com/${repo.slug}/releases/download/v0.2.0`,
    );
    expect(repo.latestDownload).toBe(`https://github.com/${repo.slug}/releases/latest/download`);
  });

  it("accepts the short and ssh forms and refuses a repository not on GitHub", () => {
    expect((repository({ repository: "git@github.com:a-b/c.d.git" }) as Repository).slug).toBe(
      "a-b/c.d",
    );
    expect((repository({ repository: { url: "https://github.com/x/y" } }) as Repository).slug).toBe(
      "x/y",
    );
    expect(() => repository({ repository: "https://gitlab.com/x/y" })).toThrow(
      /not a GitHub repository/,
    );
    expect(() => repository({})).toThrow(/not a GitHub repository/);
  });

  it("is the repository the installers download from, with no placeholder left", () => {
    const sh = readFileSync("installers/linux/install.sh", "utf8");
    const ps1 = readFileSync("installers/windows/install.ps1", "utf8");
    expect(sh).toContain(`DEFAULT_BASE_URL="${repo.latestDownload}"`);
    expect(ps1).toContain(`"${repo.latestDownload}"`);
    for (const file of [
      "installers/linux/install.sh",
      "installers/windows/install.ps1",
      "homebrew/README.md",
      "homebrew/render-formula.mjs",
      "README.md",
    ])
      expect(readFileSync(file, "utf8"), file).not.toMatch(/anode-org|\bOWNER\b|anode\.invalid/);
  });
});
