import { spawn } from "node:child_process";
import { isSea } from "node:sea";
import { RESTART_EXIT_CODE, SUPERVISE_ENV } from "../../../boot";
import { RESTART_WINDOW_MS, supervisorStep } from "./supervisorStep";

/** Signals an operator sends the parent that the node must get too. */
const FORWARDED: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * `anode start` run by hand with ANODE_SUPERVISE=1: a small parent that runs the node
 * as its child, from the executable's path (so a binary release renamed into place is
 * what starts next), and restarts it when it exits with the restart code. Under a
 * service manager this stays off: the manager restarts the node itself.
 */
export function superviseNode(env: NodeJS.ProcessEnv): Promise<number> {
  // A packaged binary's argv repeats the executable in place of a script path.
  const args = [...process.execArgv, ...process.argv.slice(isSea() ? 2 : 1)];
  const restarts: number[] = [];
  let stopping = false;
  return new Promise((resolve) => {
    const startChild = () => {
      const child = spawn(process.execPath, args, {
        env: { ...env, [SUPERVISE_ENV]: "child" },
        stdio: "inherit",
      });
      // Each signal once: a library in this process (when-exit) re-raises a signal it saw
      // on its own pid, and the node stops on the first SIGTERM but dies on a second.
      const forwarded = new Set<NodeJS.Signals>();
      const forward = (signal: NodeJS.Signals) => {
        stopping = true;
        if (forwarded.has(signal)) return;
        forwarded.add(signal);
        child.kill(signal);
      };
      for (const s of FORWARDED) process.on(s, forward);
      child.once("exit", (code, signal) => {
        for (const s of FORWARDED) process.off(s, forward);
        const now = Date.now();
        while (restarts.length > 0 && (restarts[0] ?? 0) < now - RESTART_WINDOW_MS)
          restarts.shift();
        const step = supervisorStep(
          { code, signal, stopping, recentRestarts: restarts.length },
          RESTART_EXIT_CODE,
        );
        if (step.action === "exit") {
          resolve(step.code);
          return;
        }
        restarts.push(now);
        process.stderr.write(`anode: node exited with ${code} to restart; starting it again\n`);
        startChild();
      });
    };
    startChild();
  });
}
