import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/**
 * Set to `privileged` by a service definition whose manager runs `anode service
 * apply-binary` as root before every start: the node then leaves a binary release in its
 * data directory for that step instead of writing its own executable's folder.
 */
export const BINARY_SWAP_ENV = "ANODE_BINARY_SWAP";

/**
 * Where a node whose binary folder it may not write (a system service with a privileged
 * pre-start step) leaves a verified binary release for that step: the executable's bytes
 * and the signed manifest that vouches for them. Directly in the data directory, whose
 * own path root made, so no folder on the way is the service account's to swap for a link.
 */
export function stagedBinaryPaths(dataDir: string) {
  return {
    bytes: join(dataDir, "binary-staged"),
    manifest: join(dataDir, "binary-staged.json"),
  };
}

/** Both files written beside their names, flushed, then renamed in: never half a file. */
export function writeStagedBinary(dataDir: string, bytes: Uint8Array, manifestText: string): void {
  const paths = stagedBinaryPaths(dataDir);
  for (const [file, data] of [
    [paths.bytes, bytes],
    [paths.manifest, manifestText],
  ] as const) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data, { mode: 0o600, flush: true });
    renameSync(tmp, file);
  }
}

export function removeStagedBinary(dataDir: string): void {
  const paths = stagedBinaryPaths(dataDir);
  rmSync(paths.bytes, { force: true });
  rmSync(paths.manifest, { force: true });
}

/**
 * Reads a file that the service account may have put there, for a process that may be
 * root: a link is refused (it could point at a file only root may read), so is anything
 * but a regular file (a FIFO would block the step for ever), and anything over `limit`
 * bytes. Undefined when there is no such file.
 */
export function readUntrustedFile(file: string, limit: number): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if ((err as NodeJS.ErrnoException).code === "ELOOP") {
      throw new Error(`${file} is a symbolic link, not a file`);
    }
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${file} is not a regular file`);
    if (st.size > limit)
      throw new Error(`${file} is ${st.size} bytes, over the ${limit}-byte limit`);
    const bytes = new Uint8Array(st.size);
    let at = 0;
    while (at < bytes.byteLength) {
      const n = readSync(fd, bytes, at, bytes.byteLength - at, at);
      if (n === 0) throw new Error(`${file} shrank while it was read`);
      at += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}
