import {
  closeSync,
  copyFileSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/** Where a binary release is staged beside the executable it replaces. */
export function binaryPaths(exe: string) {
  return {
    exe,
    staged: join(dirname(exe), `.${basename(exe)}.new`),
    old: `${exe}.old`,
  };
}

/** Step one: the new executable beside the current one, flushed to disk. */
export function stageBinary(exe: string, bytes: Uint8Array): string {
  const { staged } = binaryPaths(exe);
  rmSync(staged, { force: true });
  const mode = statSync(exe).mode & 0o777;
  const fd = openSync(staged, "wx", mode);
  try {
    // A service's UMask (0077 in ours) would otherwise leave the new binary unrunnable for
    // everyone but the service account, the `anode` command of other users included.
    fchmodSync(fd, mode);
    let at = 0;
    while (at < bytes.byteLength) at += writeSync(fd, bytes, at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDir(dirname(exe));
  return staged;
}

/**
 * Step two: the current executable kept as `.old` (a hard link, so the name `exe` never
 * disappears), then the staged one renamed over it. rename is atomic: at every instant
 * `exe` is either the whole old or the whole new binary.
 */
export function swapBinary(exe: string): void {
  const { staged, old } = binaryPaths(exe);
  rmSync(old, { force: true });
  try {
    linkSync(exe, old);
  } catch {
    copyFileSync(exe, old); // A file system without hard links.
  }
  renameSync(staged, exe);
  syncDir(dirname(exe));
}

/** The new binary failed its health window: the kept old one goes back, atomically. */
export function restoreBinary(exe: string): boolean {
  const { old } = binaryPaths(exe);
  try {
    statSync(old);
  } catch {
    return false;
  }
  renameSync(old, exe);
  syncDir(dirname(exe));
  return true;
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a directory; its renames are durable on their own (NTFS journal).
  }
}
