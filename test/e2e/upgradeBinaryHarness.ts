import { type ChildProcess, spawn } from "node:child_process";
import { dirname } from "node:path";

/** A node (or its supervising parent) whose output is read as it comes. */
export interface WatchedNode {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves with the nth ready line's version and pid (counting from 1). */
  ready(n: number, timeoutMs?: number): Promise<{ version: string; pid: number }>;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/** `anode start` from a binary, without waiting for anything. */
export function launch(exe: string, args: string[], env: NodeJS.ProcessEnv): WatchedNode {
  const proc = spawn(exe, [...args, "start", "--json", "--log-format", "json"], {
    cwd: dirname(exe),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) =>
    proc.once("exit", (code, signal) => r(code ?? (signal === null ? null : 128))),
  );
  const poll = async (what: string, timeoutMs: number, done: () => boolean) => {
    const until = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > until)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}:\n${out.slice(-4000)}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const readies = () => [
    ...out.matchAll(/"event": "ready",\s*"version": "([^"]+)",\s*"pid": (\d+)/g),
  ];
  return {
    proc,
    output: () => out,
    exited,
    async ready(n, timeoutMs = 30_000) {
      let exitedEarly = false;
      void exited.then(() => {
        exitedEarly = true;
      });
      await poll(`ready line ${n}`, timeoutMs, () => {
        if (readies().length >= n) return true;
        if (exitedEarly) throw new Error(`the node exited before ready line ${n}:\n${out}`);
        return false;
      });
      const m = readies()[n - 1] as RegExpMatchArray;
      return { version: m[1] as string, pid: Number(m[2]) };
    },
    waitFor(text, timeoutMs = 30_000) {
      return poll(JSON.stringify(text), timeoutMs, () => out.includes(text));
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGTERM");
        const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      return proc.exitCode;
    },
  };
}
