import { rmSync } from "node:fs";
import { binaryPaths, restoreBinary } from "../upgrade/binary";
import { markBad } from "./appState";
import { clearBinaryTrial, readBinaryTrial, writeBinaryTrial } from "./binaryTrialMarker";
import { binaryTrialStep } from "./binaryTrialStep";
import { pidAlive } from "./trialMarker";

export interface SettleBinaryTrialOptions {
  /** The version of the binary running now. */
  running: string;
  pid?: number;
  isAlive?: (pid: number) => boolean;
}

/**
 * Run by boot when a node starts (not for CLI calls, which must not claim the trial).
 * Returns what it did; on "restore" the caller exits with the restart code so the
 * service manager (or anode's supervising parent) starts the restored old binary.
 */
export function settleBinaryTrial(dataDir: string, o: SettleBinaryTrialOptions) {
  const marker = readBinaryTrial(dataDir);
  const pid = o.pid ?? process.pid;
  // A marker naming this very pid is a previous process's (pid 1 in a container).
  const alive =
    marker?.pid !== undefined && marker.pid !== pid && (o.isAlive ?? pidAlive)(marker.pid);
  const step = binaryTrialStep({ marker, running: o.running, alive });
  if (marker === undefined) return { step, marker };
  switch (step) {
    case "discard":
      rmSync(binaryPaths(marker.exe).staged, { force: true });
      clearBinaryTrial(dataDir);
      break;
    case "claim":
      writeBinaryTrial(dataDir, { ...marker, pid });
      break;
    case "restore":
      restoreBinary(marker.exe);
      markBad(
        dataDir,
        marker.version,
        "the new binary crashed or was stopped during its health window",
      );
      clearBinaryTrial(dataDir);
      break;
  }
  return { step, marker };
}
