import { markBad } from "./appState";
import { clearTrialMarker, readTrialMarker, trialAlive } from "./trialMarker";

/**
 * Settles a trial left behind by a node that is gone: the release it was trying crashed
 * or was killed inside its health window, so it is marked bad and boot falls back to the
 * last good release. Returns the version marked bad, if any. A trial whose node still
 * runs (a CLI call during the window) is left alone.
 */
export function settleTrial(
  dataDir: string,
  isAlive?: (pid: number) => boolean,
): string | undefined {
  const marker = readTrialMarker(dataDir);
  if (marker === undefined || (marker.pid !== process.pid && trialAlive(marker, isAlive))) {
    return undefined;
  }
  markBad(dataDir, marker.version, "the node crashed or was stopped during its health window");
  clearTrialMarker(dataDir);
  return marker.version;
}
