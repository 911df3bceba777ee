import { compareVersions, isVersion } from "../upgrade/manifest";
import type { AppState } from "./appState";

/**
 * The installed versions boot should try, in order: `current`, then `lastGood`, then
 * the rest newest first; only versions newer than the embedded app and not marked bad.
 * A new binary ships a newer embedded app, which then wins over older installed ones.
 */
export function selectCandidates(
  installed: readonly string[],
  state: AppState,
  embeddedVersion: string,
): string[] {
  const usable = new Set(
    installed.filter(
      (v) => isVersion(v) && compareVersions(v, embeddedVersion) > 0 && !(v in state.bad),
    ),
  );
  const newestFirst = [...usable].sort((a, b) => compareVersions(b, a));
  const preferred = [state.current, state.lastGood].filter(
    (v): v is string => v !== undefined && usable.has(v),
  );
  return [...new Set([...preferred, ...newestFirst])];
}
