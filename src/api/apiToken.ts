import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import { tokenPath } from "../config";

/**
 * Returns the API token, creating it on first start. The file is a secret: created with
 * mode 0600, and tightened to 0600 if someone loosened it.
 */
export async function ensureToken(dataDir: string): Promise<string> {
  const file = tokenPath(dataDir);
  try {
    const token = (await readFile(file, "utf8")).trim();
    if (token.length >= 32) {
      if (process.platform !== "win32" && ((await stat(file)).mode & 0o077) !== 0)
        await chmod(file, 0o600);
      return token;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const token = randomBytes(32).toString("hex");
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}

/** Constant-time comparison of a presented bearer token with the real one. */
export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
