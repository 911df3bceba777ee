import { execFile } from "node:child_process";

export interface RunResult {
  /** Exit code; `null` when the program could not be started at all. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the program does not exist on this host (ENOENT). */
  readonly missing: boolean;
}

/** Runs a service manager's program. Tests pass one that records the command lines. */
export interface CommandRunner {
  run(program: string, args: readonly string[]): Promise<RunResult>;
}

const RUN_TIMEOUT_MS = 60_000;

/** Runs programs directly (no shell), so paths with spaces need no quoting. */
export const execRunner: CommandRunner = {
  run(program, args) {
    return new Promise((resolve) => {
      execFile(
        program,
        [...args],
        { timeout: RUN_TIMEOUT_MS, windowsHide: true },
        (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
          const missing = e?.code === "ENOENT";
          const code = e === null ? 0 : typeof e.code === "number" ? e.code : missing ? null : 1;
          resolve({ code, stdout: String(stdout), stderr: String(stderr), missing });
        },
      );
    });
  },
};
