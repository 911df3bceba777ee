import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { appLayout } from "./appLayout";

/**
 * Written by the upgrade engine just before it swaps in a new app release and removed
 * when the release has passed its health window. Boot finding one whose process is gone
 * knows that release crashed (or was killed) on trial, marks it bad and never runs it.
 */
export interface TrialMarker {
  version: string;
  /** The version that ran before, which boot falls back to. */
  previous: string;
  /** The node process trying it; while it lives, the trial is still going on. */
  pid: number;
  startedAt: number;
}

export function trialMarkerFile(dataDir: string): string {
  return join(appLayout(dataDir).root, "trial.json");
}

export function readTrialMarker(dataDir: string): TrialMarker | undefined {
  try {
    const v = JSON.parse(readFileSync(trialMarkerFile(dataDir), "utf8")) as Partial<TrialMarker>;
    if (typeof v.version !== "string" || typeof v.pid !== "number") return undefined;
    return {
      version: v.version,
      previous: typeof v.previous === "string" ? v.previous : "",
      pid: v.pid,
      startedAt: typeof v.startedAt === "number" ? v.startedAt : 0,
    };
  } catch {
    return undefined;
  }
}

export function writeTrialMarker(dataDir: string, marker: TrialMarker): void {
  const file = trialMarkerFile(dataDir);
  mkdirSync(appLayout(dataDir).root, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(marker)}\n`, { mode: 0o600, flush: true });
  renameSync(tmp, file);
}

export function clearTrialMarker(dataDir: string): void {
  rmSync(trialMarkerFile(dataDir), { force: true });
}

/** Whether the process that wrote a marker is still running (signal 0 only asks). */
export function trialAlive(marker: TrialMarker, isAlive = pidAlive): boolean {
  return isAlive(marker.pid);
}

/**
 * Whether `pid` still runs. A zombie (exited, not yet reaped: under a pid 1 that reaps
 * nothing, as in a container without an init) answers signal 0 but runs nothing, so it
 * counts as dead once its last thread is gone; otherwise a node restarted at once would
 * take its crashed predecessor's trial for one still going on.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // A main thread shows Z as soon as it exits while the process's other threads (a
    // database closing, say) may still run: dead only once it is the last thread left.
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return /^State:\s+Z/m.test(status) && /^Threads:\s+1$/m.test(status);
  } catch {
    // No /proc (macOS, Windows), or the process just went.
    return false;
  }
}
