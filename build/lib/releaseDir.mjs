import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** A folder the release command made: only such a folder is ever emptied by it. */
const MARKER = ".anode-release";

/**
 * An empty release folder at `dir`. An existing folder is emptied only if a previous run
 * of the release command made it (so `--out-dir .` or `--out-dir ~` never deletes work).
 */
export function prepareReleaseDir(dir) {
  const out = resolve(dir);
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!existsSync(join(out, MARKER))) {
      throw new Error(
        `Cannot write the release into ${out}: it is not empty and was not made by the release command`,
      );
    }
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, MARKER), "made by build/release.mjs; emptied by its next run\n");
  return out;
}
