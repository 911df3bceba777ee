import { execFile } from "node:child_process";
import type { Ran } from "./tools";

/**
 * A program run without blocking the test's event loop, so slow steps (building a
 * binary, compressing a package, lintian) run side by side; bounded by `timeoutMs`.
 */
export function runAsync(
  program: string,
  args: readonly string[],
  o: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      program,
      [...args],
      {
        encoding: "utf8",
        env: { ...process.env, ...o.env },
        timeout: o.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : null;
        const killed = err?.killed ? `\n[killed after ${o.timeoutMs} ms]` : "";
        resolve({ code, stdout, stderr: `${stderr}${killed}` });
      },
    );
  });
}
