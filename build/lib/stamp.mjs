import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/** The product version (package.json) and the build (`git describe`; "unknown" outside git). */
export function versionStamp() {
  const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8"));
  let build = "unknown";
  try {
    build = execFileSync("git", ["describe", "--tags", "--always", "--dirty"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    // A tarball or a shallow CI checkout without git: the version alone still says what it is.
  }
  return { version: pkg.version, build };
}
