import { lstatSync, realpathSync } from "node:fs";
import { posix } from "node:path";
import { type PathOwnership, trustFileProblem } from "./trustFileProblem";

export interface CheckTrustFileOptions {
  lstat?: (path: string) => { uid: number; gid: number; mode: number };
  realpath?: (path: string) => string;
}

/**
 * Why the config file at `path` (absolute) is not safe to take release keys from in a
 * system service, or undefined. POSIX only: on Windows the installer's layout keeps the
 * config out of the service account's reach instead (see src/service/winswManager.ts).
 * Both the path as given (a symlink's directory decides where it points) and the file it
 * resolves to are checked, each with every directory up to /.
 */
export function checkTrustFile(path: string, o: CheckTrustFileOptions = {}): string | undefined {
  const lstat = o.lstat ?? lstatSync;
  const realpath = o.realpath ?? realpathSync;
  const paths = new Set([...ancestry(path), ...ancestry(realpath(path))]);
  const chain: PathOwnership[] = [...paths].map((p) => {
    const s = lstat(p);
    return { path: p, uid: s.uid, gid: s.gid, mode: s.mode };
  });
  return trustFileProblem(chain);
}

/** The path itself, then each parent up to and including /. */
function ancestry(path: string): string[] {
  const out: string[] = [];
  for (let p = posix.normalize(path); ; p = posix.dirname(p)) {
    out.push(p);
    if (p === posix.dirname(p)) return out;
  }
}
