import { spawn } from "node:child_process";

export interface GroupRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all. */
  error?: Error;
}

/**
 * Runs a program in a process group of its own, collecting its output; past `timeoutMs`
 * the whole group is killed (what it started too) and `timeoutNote` is added to stderr.
 * `input`, when given, is written to its standard input; otherwise stdin is closed.
 */
export function runGroup(
  program: string,
  args: readonly string[],
  o: {
    env: NodeJS.ProcessEnv;
    cwd?: string;
    timeoutMs: number;
    timeoutNote: string;
    input?: string;
  },
): Promise<GroupRun> {
  return new Promise((resolve) => {
    const child = spawn(program, [...args], {
      env: o.env,
      ...(o.cwd === undefined ? {} : { cwd: o.cwd }),
      stdio: [o.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      stderr += o.timeoutNote;
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, o.timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}`, error });
    });
    if (o.input !== undefined) {
      // A program that exits without reading its input must not fail the write.
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(o.input);
    }
  });
}
