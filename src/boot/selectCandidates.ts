import { compareVersions, isVersion } from "../verify";
import type { AppState } from "./appState";

export interface CandidateOptions {
  /** The version of the app embedded in this binary. */
  embedded: string;
  /** The upgrade engine's boot floor (the highest release it made permanent), if any. */
  floor?: string | undefined;
}

export interface Candidates {
  /** Installed versions to try, in order. */
  candidates: string[];
  /**
   * `current` or `lastGood` when the floor excludes them: state.json names a release
   * older than one this node already ran for good (a hand edit, a restored backup).
   * Boot reports each as refused; older installed versions are merely superseded.
   */
  belowFloor: string[];
}

/**
 * The installed versions boot should try, in order: `current`, then `lastGood`, then
 * the rest newest first; only versions newer than the embedded app, at or above the
 * floor, and not marked bad. A new binary ships a newer embedded app, which then wins
 * over older installed ones.
 *
 * When nothing installed is at or above the floor (the newest was marked bad, deleted
 * or corrupted), no older installed release is tried: boot falls back to the embedded
 * app, the binary's own code, and says so loudly (see selectApp). Going back to an
 * older signed release is only ever the operator's choice, through `upgrade rollback`,
 * which lowers the floor.
 */
export function selectCandidates(
  installed: readonly string[],
  state: AppState,
  o: CandidateOptions,
): Candidates {
  const atFloor = (v: string) => o.floor === undefined || compareVersions(v, o.floor) >= 0;
  const eligible = installed.filter(
    (v) => isVersion(v) && compareVersions(v, o.embedded) > 0 && !(v in state.bad),
  );
  const usable = new Set(eligible.filter(atFloor));
  const newestFirst = [...usable].sort((a, b) => compareVersions(b, a));
  const named = [state.current, state.lastGood].filter(
    (v): v is string => v !== undefined && eligible.includes(v),
  );
  return {
    candidates: [...new Set([...named.filter((v) => usable.has(v)), ...newestFirst])],
    belowFloor: [...new Set(named.filter((v) => !usable.has(v)))],
  };
}
