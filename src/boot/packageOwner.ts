import { spawnSync } from "node:child_process";
import { posix } from "node:path";

export type PackageOwner = "homebrew" | "dpkg";

/**
 * Who owns the executable at `path`, if a package manager does: replacing a file that
 * Homebrew or dpkg installed would leave the package database lying (and the next
 * `brew upgrade` or `apt upgrade` would put the old one back). Homebrew's files live
 * under its Cellar (its `bin/` holds symlinks, and an executable's own path is the
 * resolved one); `dpkgPackage` is what dpkg says owns the path (`dpkgPackageOf`).
 */
export function packageOwner(
  path: string,
  o: { dpkgPackage: string | undefined },
): PackageOwner | undefined {
  const p = posix.normalize(path.replaceAll("\\", "/"));
  if (
    /\/Cellar\/anode\//.test(p) ||
    /^\/(opt\/homebrew|home\/linuxbrew\/\.linuxbrew)\/(bin|opt)\/anode$/.test(p)
  ) {
    return "homebrew";
  }
  return o.dpkgPackage === undefined ? undefined : "dpkg";
}

/** dpkg-query reads every package's file list; on a slow disk that is a second or two. */
export const DPKG_QUERY_TIMEOUT_MS = 3_000;

/**
 * The package `dpkg-query -S` names as the owner of exactly `path` ("anode: /usr/bin/anode");
 * diversion lines and matches of other paths (the argument is a glob) are not owners.
 */
export function parseDpkgQueryOwner(stdout: string, path: string): string | undefined {
  for (const line of stdout.split("\n")) {
    if (line.startsWith("diversion by ")) continue;
    const at = line.indexOf(": ");
    if (at > 0 && line.slice(at + 2) === path) return line.slice(0, at).split(", ")[0];
  }
  return undefined;
}

/**
 * Asks dpkg (through its query tool, never its database files, whose layout is dpkg's
 * own business) which package installed `path`. No dpkg, no owner, or no answer within
 * the time limit all give undefined: the node then treats the binary as its own.
 */
export function dpkgPackageOf(
  path: string,
  o: { timeoutMs?: number; program?: string } = {},
): string | undefined {
  const r = spawnSync(o.program ?? "dpkg-query", ["-S", path], {
    encoding: "utf8",
    timeout: o.timeoutMs ?? DPKG_QUERY_TIMEOUT_MS,
    stdio: ["ignore", "pipe", "ignore"],
  });
  if (r.error !== undefined || r.status !== 0) return undefined;
  return parseDpkgQueryOwner(r.stdout, path);
}
