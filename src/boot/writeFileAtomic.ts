import { randomBytes } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";

/**
 * Replaces `file` so that a crash leaves either the old or the new content, never half of
 * one: write a uniquely named temporary file, flush it to disk, rename it over.
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): void {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, data, { mode: options.mode ?? 0o600, flush: true });
  renameSync(tmp, file);
}
