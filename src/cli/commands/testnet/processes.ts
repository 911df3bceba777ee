import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { pidAlive } from "../../../boot";

/** How to run this same anode: the binary itself, or node plus the bundle. */
export function selfCommand(): string[] {
  const script = process.argv[1];
  return script && /\.(c|m)?js$/.test(script) ? [process.execPath, script] : [process.execPath];
}

/** Starts a detached `anode start` (in `netns` if given) that outlives this command; returns its pid. */
export function spawnNode(configFile: string, logFile: string, netns?: string): number {
  const self = selfCommand();
  // `ip netns exec` execs the command, so the pid is the node's own.
  const [cmd, ...pre] = (netns === undefined ? self : ["ip", "netns", "exec", netns, ...self]) as [
    string,
    ...string[],
  ];
  const fd = openSync(logFile, "a");
  try {
    const child = spawn(cmd, [...pre, "--config", configFile, "start", "--log-format", "json"], {
      detached: true,
      stdio: ["ignore", fd, fd],
      env: { ...process.env, NO_COLOR: "1" },
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** Whether `pid` still runs (a zombie does not: see boot's pidAlive). */
export function isAlive(pid: number | null): boolean {
  return pid !== null && pidAlive(pid);
}

/** SIGTERM every pid, then SIGKILL whatever is still alive after `graceMs`; returns the survivors. */
export async function stopAll(pids: number[], graceMs = 10_000): Promise<number[]> {
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(isAlive)) await sleep(50);
  for (const pid of pids.filter(isAlive)) signal(pid, "SIGKILL");
  const hard = Date.now() + 5000;
  while (Date.now() < hard && pids.some(isAlive)) await sleep(50);
  return pids.filter(isAlive);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
