import { existsSync, rmSync } from "node:fs";
import { markBad } from "./appState";
import { binaryPaths, restoreBinary } from "./binarySwap";
import {
  type BinaryTrialMarker,
  clearBinaryTrial,
  readBinaryTrial,
  writeBinaryTrial,
} from "./binaryTrialMarker";
import { type BinaryTrialStep, binaryTrialStep } from "./binaryTrialStep";
import { checkStagedBinary, type StagedBinaryCheck } from "./checkStagedBinary";
import { removeStagedBinary, stagedBinaryPaths } from "./stagedBinary";
import { pidAlive } from "./trialMarker";

export interface SettleBinaryTrialOptions {
  /** The version of the binary running now. */
  running: string;
  pid?: number;
  isAlive?: (pid: number) => boolean;
  /**
   * What the privileged pre-start step checks a staged binary against, so boot can say
   * why it left one where it was (undefined: a node that swaps its own binary).
   */
  staged?: Omit<StagedBinaryCheck, "running">;
}

export interface SettledBinaryTrial {
  step: BinaryTrialStep;
  marker: BinaryTrialMarker | undefined;
  /** Why a binary staged for the privileged pre-start step was left where it was. */
  refused?: string;
}

/** Why a release is marked bad when its binary's node died inside the health window. */
const DIED_ON_TRIAL = "the new binary crashed or was stopped during its health window";

/**
 * Run by boot when a node starts (not for CLI calls, which must not claim the trial).
 * Returns what it did; on "restore" the caller exits with the restart code so the
 * service manager (or anode's supervising parent) starts the restored old binary.
 * Under a privileged pre-start step (src/boot/applyStagedBinary.ts), which changes only
 * the executable, this is where the data directory learns what that step did.
 */
export function settleBinaryTrial(
  dataDir: string,
  o: SettleBinaryTrialOptions,
): SettledBinaryTrial {
  const marker = readBinaryTrial(dataDir);
  const pid = o.pid ?? process.pid;
  // A marker naming this very pid is a previous process's (pid 1 in a container).
  const alive =
    marker?.pid !== undefined && marker.pid !== pid && (o.isAlive ?? pidAlive)(marker.pid);
  const step = binaryTrialStep({ marker, running: o.running, alive });
  if (marker === undefined) return { step, marker };
  switch (step) {
    case "discard": {
      const left = stagedLeftBehind(dataDir, o);
      if (left !== undefined) markBad(dataDir, marker.version, left);
      rmSync(binaryPaths(marker.exe).staged, { force: true });
      removeStagedBinary(dataDir);
      clearBinaryTrial(dataDir);
      return { step, marker, ...(left === undefined ? {} : { refused: left }) };
    }
    case "claim":
      writeBinaryTrial(dataDir, { ...marker, pid });
      removeStagedBinary(dataDir);
      break;
    case "restored":
      markBad(dataDir, marker.version, DIED_ON_TRIAL);
      clearBinaryTrial(dataDir);
      break;
    case "restore": {
      let stuck: string | undefined;
      try {
        if (!restoreBinary(marker.exe)) stuck = `there is no ${binaryPaths(marker.exe).old}`;
      } catch (err) {
        // A folder only root writes: its pre-start step restores, and it did not.
        stuck = err instanceof Error ? err.message : String(err);
      }
      markBad(dataDir, marker.version, DIED_ON_TRIAL);
      clearBinaryTrial(dataDir);
      if (stuck !== undefined) {
        return {
          step: "none",
          marker,
          refused: `${DIED_ON_TRIAL}, and the previous binary could not be put back (${stuck})`,
        };
      }
      break;
    }
  }
  return { step, marker };
}

/**
 * A binary the node staged for the pre-start step that is still there with the old binary
 * running: the step refused it (its reason, found again by the same check) or never ran.
 */
function stagedLeftBehind(dataDir: string, o: SettleBinaryTrialOptions): string | undefined {
  if (!existsSync(stagedBinaryPaths(dataDir).manifest)) return undefined;
  if (o.staged === undefined) return "it was staged for a pre-start step this node does not have";
  try {
    checkStagedBinary(dataDir, { ...o.staged, running: o.running });
  } catch (err) {
    return `the service's pre-start step refused it: ${err instanceof Error ? err.message : String(err)}`;
  }
  return "it was staged, but the service did not run the pre-start step that puts it in place (ExecStartPre in the unit)";
}
