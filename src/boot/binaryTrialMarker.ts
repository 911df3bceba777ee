import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Written by the upgrade engine before it stages a new executable, kept through the
 * restart, and removed when the new binary has passed its health window. `pid` is the
 * first node process the new binary started: if that process is gone and the marker is
 * still here, the new binary crashed on trial and boot puts `.old` back.
 */
export interface BinaryTrialMarker {
  version: string;
  /** The binary version that ran before, which `.old` holds. */
  previous: string;
  /** The executable being replaced. */
  exe: string;
  pid?: number | undefined;
}

export function binaryTrialFile(dataDir: string): string {
  return join(dataDir, "binary-trial.json");
}

export function readBinaryTrial(dataDir: string): BinaryTrialMarker | undefined {
  try {
    const v = JSON.parse(readFileSync(binaryTrialFile(dataDir), "utf8")) as Partial<
      Record<keyof BinaryTrialMarker, unknown>
    >;
    if (typeof v.version !== "string" || typeof v.exe !== "string") return undefined;
    return {
      version: v.version,
      previous: typeof v.previous === "string" ? v.previous : "",
      exe: v.exe,
      pid: typeof v.pid === "number" ? v.pid : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Atomic and flushed: a marker half-written by a killed process must not exist. */
export function writeBinaryTrial(dataDir: string, marker: BinaryTrialMarker): void {
  const file = binaryTrialFile(dataDir);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(marker)}\n`, { mode: 0o600, flush: true });
  renameSync(tmp, file);
}

export function clearBinaryTrial(dataDir: string): void {
  rmSync(binaryTrialFile(dataDir), { force: true });
}
