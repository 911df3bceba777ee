import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/**
 * V8's compiled-code cache for app bundles, one file per bundle content in the user's
 * cache directory. Compiling the 1.5 MB app is the largest single cost of a CLI call;
 * with the cache V8 skips it. Keyed by a hash of the bytes because V8 itself only
 * checks the source length. A cache is only ever an optimisation: any failure to read
 * or write it is ignored.
 */
export interface CodeCache {
  /** Cached data for these bytes, if any. */
  read(): Buffer | undefined;
  /** Stores fresh data (call it late, once the app has compiled what a run needs). */
  write(data: Buffer): void;
}

/** Cache files kept; every rebuilt or upgraded bundle adds one, so older ones are pruned. */
const KEEP_FILES = 4;

export function codeCache(dir: string | undefined, bytes: Uint8Array): CodeCache {
  if (dir === undefined) return { read: () => undefined, write: () => {} };
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 32);
  const file = join(dir, "code", `${hash}-${process.version}-${process.arch}.v8`);
  return {
    read() {
      try {
        return readFileSync(file);
      } catch {
        return undefined;
      }
    },
    write(data) {
      try {
        mkdirSync(join(dir, "code"), { recursive: true, mode: 0o700 });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, data, { mode: 0o600 });
        renameSync(tmp, file);
        prune(join(dir, "code"));
      } catch {
        // Read-only or full cache directory: the next start compiles again.
      }
    },
  };
}

function prune(dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".v8"))
    .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { f } of files.slice(KEEP_FILES)) unlinkSync(join(dir, f));
}
