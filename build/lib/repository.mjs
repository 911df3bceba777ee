import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/**
 * The project's GitHub repository, from package.json's `repository`: the one place every
 * download URL (install.sh, install.ps1, the Homebrew formula, the docs) is derived from.
 */
export function repository(pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8"))) {
  const url = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
  const m = /github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(url ?? "");
  if (!m) {
    throw new Error(
      `Cannot derive download URLs: package.json's repository (${url}) is not a GitHub repository`,
    );
  }
  const slug = `${m[1]}/${m[2]}`;
  const home = `https://github.com/${slug}`;
  return {
    slug,
    home,
    /** Where the assets of the release tagged `v<version>` are served. */
    releaseDownload: (version) => `${home}/releases/download/v${version.replace(/^v/, "")}`,
    /** Where the newest release's assets are served (the installers' default). */
    latestDownload: `${home}/releases/latest/download`,
  };
}
