import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/**
 * A copy of this checkout's sources and test fixtures in `dir`, with its node_modules
 * linked: a tree a release can be built from (build/appBundle.mjs --from), as a release
 * manager's changed checkout would be.
 */
export function copySourceTree(dir: string): string {
  cpSync(join(root, "src"), join(dir, "src"), { recursive: true });
  cpSync(join(root, "test/support/upgradeFixtures"), join(dir, "test/support/upgradeFixtures"), {
    recursive: true,
  });
  if (!existsSync(join(dir, "node_modules")))
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** One edit of a copied source file; `find` must occur exactly once (or the edit is stale). */
export interface SourceEdit {
  file: string;
  find: string;
  replace: string;
}

export function editSource(tree: string, edits: readonly SourceEdit[]): void {
  for (const e of edits) {
    const path = join(tree, e.file);
    const text = readFileSync(path, "utf8");
    const at = text.indexOf(e.find);
    if (at < 0 || text.indexOf(e.find, at + 1) >= 0) {
      throw new Error(
        `source edit of ${e.file} is stale: ${JSON.stringify(e.find.slice(0, 60))} occurs ${at < 0 ? "nowhere" : "more than once"}`,
      );
    }
    writeFileSync(path, text.slice(0, at) + e.replace + text.slice(at + e.find.length));
  }
}

/**
 * Each engine module file's `version: "x"` becomes `"x-<suffix>"`: changed code at a new
 * version, so the planner swaps it.
 */
export function bumpVersions(tree: string, files: readonly string[], suffix: string): void {
  for (const file of files) {
    const path = join(tree, file);
    const text = readFileSync(path, "utf8");
    const bumped = text.replace(/^( {2}version: "[^"]+)",$/m, `$1-${suffix}",`);
    if (bumped === text) throw new Error(`no module version to bump in ${file}`);
    writeFileSync(path, bumped);
  }
}
