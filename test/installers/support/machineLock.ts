import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const POLL_MS = 200;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A lock shared by every process on the machine (mkdir is atomic), for tests that change
 * the machine itself, such as installing a package: two test runs at once would fight
 * over dpkg's lock and over the same account. A lock whose holder died is taken over.
 */
export async function acquireMachineLock(name: string, timeoutMs: number): Promise<() => void> {
  const dir = join(tmpdir(), `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, "pid"), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch {
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(join(dir, "pid"), "utf8"));
      } catch {
        // Being created right now: wait for it like for any holder.
      }
      if (Number.isInteger(holder) && !alive(holder)) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`Cannot take the machine lock ${dir}`);
      else await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
