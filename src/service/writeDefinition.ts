import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { serviceError } from "./serviceError";

function permissionHint(err: unknown, what: string, path: string): never {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") {
    throw serviceError(
      "SERVICE_PERMISSION",
      `Cannot ${what} ${path}: permission denied (run it as root or an administrator, or use --user)`,
      err,
    );
  }
  throw serviceError("SERVICE_COMMAND_FAILED", `Cannot ${what} ${path}: ${String(err)}`, err);
}

/** Writes a unit, plist or XML (world-readable: service managers read them as themselves). */
export async function writeDefinition(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, { mode: 0o644 });
  } catch (err) {
    permissionHint(err, "write", path);
  }
}

export async function removeDefinition(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
  } catch (err) {
    permissionHint(err, "remove", path);
  }
}
