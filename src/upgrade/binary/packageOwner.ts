import { posix } from "node:path";

export type PackageOwner = "homebrew" | "dpkg";

/**
 * Who owns the executable at `path`, if a package manager does: replacing a file that
 * Homebrew or dpkg installed would leave the package database lying (and the next
 * `brew upgrade` or `apt upgrade` would put the old one back). Homebrew's files live
 * under its Cellar; dpkg lists every file it installed in `/var/lib/dpkg/info/*.list`.
 */
export function packageOwner(
  path: string,
  o: { dpkgLists: readonly string[] },
): PackageOwner | undefined {
  const p = posix.normalize(path.replaceAll("\\", "/"));
  if (
    /\/Cellar\/anode\//.test(p) ||
    /^\/(opt\/homebrew|usr\/local|home\/linuxbrew\/\.linuxbrew)\/(bin|opt)\/anode$/.test(p)
  ) {
    return "homebrew";
  }
  if (o.dpkgLists.some((list) => list.split("\n").includes(p))) return "dpkg";
  return undefined;
}
