import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * What a fresh clone of this working tree holds: every tracked or new file that git does
 * not ignore (so no node_modules, dist or test results), copied into `dir`. Uncommitted
 * edits are included, so a test of "a fresh clone" tests the tree it runs in.
 */
export function copySourceTree(dir: string, root = process.cwd()): string[] {
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  )
    .split("\0")
    .filter((f) => f !== "" && existsSync(join(root, f)));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(root, f), join(dir, f));
  }
  return files;
}
