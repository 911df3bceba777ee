import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const pages = [
  "README.md",
  "CHANGELOG.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

describe("the README and docs/", () => {
  it("link only to files inside the repository that exist", () => {
    for (const page of pages) {
      const text = readFileSync(join(root, page), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const path = (target as string).split("#")[0] as string;
        if (/^[a-z]+:/.test(path) || path === "") continue;
        const file = resolve(root, dirname(page), path);
        expect(file.startsWith(`${root}/`), `${page} links outside the repository: ${target}`).toBe(
          true,
        );
        expect(existsSync(file), `${page} links a missing file: ${target}`).toBe(true);
      }
      expect(text, `${page} points outside the repository`).not.toMatch(/\.\.\/shared\//);
    }
  });
});
