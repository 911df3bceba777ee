import { type ChildProcess, execFile, spawn } from "node:child_process";
import { resolve } from "node:path";
import { freePort } from "./ports";

export const BUNDLE = resolve("dist/anode.cjs");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI as a real process and collects its output; never rejects. */
export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [BUNDLE, ...args],
      {
        env: { ...process.env, NO_COLOR: "1", ...opts.env },
        timeout: opts.timeoutMs ?? 30_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 128) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

export interface NodeProcess {
  proc: ChildProcess;
  pid: number;
  args: string[];
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** Starts `anode start` with the given global flags and waits for its ready line. */
export async function startNodeProcess(
  globalArgs: string[],
  opts: { env?: NodeJS.ProcessEnv; readyMs?: number } = {},
): Promise<NodeProcess> {
  const args = [BUNDLE, ...globalArgs, "start", "--log-format", "json"];
  // Every node listens for peers; give each its own port unless the test chose one.
  const p2p = opts.env?.ANODE_P2P_LISTEN ?? `127.0.0.1:${await freePort()}`;
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, NO_COLOR: "1", ANODE_P2P_LISTEN: p2p, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  proc.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  const readyMs = opts.readyMs ?? 20_000;
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(
        new Error(
          `node did not print its ready line within ${readyMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, readyMs);
    const check = () => {
      if (/ready: data|"event": "ready"/.test(stdout)) {
        clearTimeout(timer);
        proc.stdout?.off("data", check);
        resolveReady();
      }
    };
    proc.stdout?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `node exited with ${code} before it was ready\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    });
  });
  const node: NodeProcess = {
    proc,
    pid: proc.pid as number,
    args,
    output: () => ({ stdout, stderr }),
    exited,
    async stop(timeoutMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGKILL");
      await exited;
    },
  };
  return node;
}
