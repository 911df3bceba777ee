import { compareVersions, type TrustedKeys } from "../verify";
import { readAppState } from "./appState";
import { embeddedApp } from "./embeddedApp";
import { type EvaluatedApp, evaluateApp } from "./evaluateApp";
import type { AppHost, BootInfo, RefusedBundle } from "./hostContract";
import { listInstalledVersions, loadInstalledApp } from "./loadInstalledApp";
import { selectCandidates } from "./selectCandidates";
import { settleTrial } from "./settleTrial";
import { readUpgradeState } from "./upgradeState";

export interface SelectAppOptions {
  dataDir: string;
  /** The version of the app embedded in this binary (also the binary's version). */
  embeddedVersion: string;
  build: string;
  trust: TrustedKeys;
  host: AppHost;
  /** Hears one line per refused bundle. */
  warn: (line: string) => void;
  /**
   * False to compile the embedded app without the code cache built into the executable
   * (to measure its worth). Installed bundles never use a cache: nothing as trusted as
   * their signature could vouch for one.
   */
  useCodeCache?: boolean;
}

/**
 * Picks the app to run: the first installed candidate that verifies and evaluates,
 * else the embedded one. Every refusal is reported (and kept in BootInfo) so an operator
 * sees why a node is not running the release they installed.
 *
 * The upgrade engine's boot floor (the highest release it made permanent) bounds the
 * candidates: state.json naming an older release does not boot it. When no installed
 * release at or above the floor verifies, the embedded app runs although it is older
 * than the floor: it is the binary's own code, the one thing boot can always start, and
 * a node that runs is one an operator can repair (publish or re-apply a release). That
 * case gets a loud warning, never a quiet downgrade.
 */
export function selectApp(o: SelectAppOptions): EvaluatedApp & { info: BootInfo } {
  const refused: RefusedBundle[] = [];
  const base = { binaryVersion: o.embeddedVersion, build: o.build, refused };
  const embeddedLabel = `the embedded app ${o.embeddedVersion}`;
  let candidates: string[] = [];
  let floor: string | undefined;
  try {
    const crashed = settleTrial(o.dataDir);
    if (crashed !== undefined) {
      o.warn(
        `anode: app release ${crashed} did not survive its health window; marked bad, never booted again`,
      );
    }
    const state = readAppState(o.dataDir);
    floor = readUpgradeState(o.dataDir).bootFloor;
    const plan = selectCandidates(listInstalledVersions(o.dataDir), state, {
      embedded: o.embeddedVersion,
      floor,
    });
    candidates = plan.candidates;
    for (const version of plan.belowFloor) {
      const reason = `it is older than ${floor}, the highest release this node made permanent (only \`anode upgrade rollback\` goes below it)`;
      refused.push({ version, reason });
      const next = candidates[0];
      o.warn(
        `anode: refused app bundle ${version} in ${o.dataDir}: ${reason}; ${next === undefined ? `booting ${embeddedLabel}` : `trying ${next}`}`,
      );
    }
  } catch (err) {
    o.warn(`anode: ${message(err)}; booting ${embeddedLabel}`);
  }
  for (const [i, version] of candidates.entries()) {
    try {
      const installed = loadInstalledApp(o.dataDir, version, o);
      const evaluated = evaluateApp(installed.bytes, {
        filename: installed.path,
        version,
        host: o.host,
      });
      return {
        ...evaluated,
        info: {
          source: "installed",
          appVersion: version,
          path: installed.path,
          signers: installed.signers,
          ...base,
        },
      };
    } catch (err) {
      const reason = message(err).replace(/^Cannot boot [^:]*: /, "");
      refused.push({ version, reason });
      const next = candidates[i + 1];
      o.warn(
        `anode: refused app bundle ${version} in ${o.dataDir}: ${reason}; ${next === undefined ? `booting ${embeddedLabel}` : `trying ${next}`}`,
      );
    }
  }
  if (floor !== undefined && compareVersions(o.embeddedVersion, floor) < 0) {
    o.warn(
      `anode: WARNING: no installed app release at or above ${floor} (the highest this node made permanent) could be booted; running ${embeddedLabel}, which is OLDER. Publish or re-apply a release at or above ${floor} (anode release publish, anode upgrade status).`,
    );
  }
  const embedded = embeddedApp();
  const evaluated = evaluateApp(embedded.bytes, {
    filename: embedded.filename,
    version: o.embeddedVersion,
    host: o.host,
    ...(embedded.codeCache !== undefined && o.useCodeCache !== false
      ? { cachedData: embedded.codeCache }
      : {}),
  });
  return { ...evaluated, info: { source: "embedded", appVersion: o.embeddedVersion, ...base } };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
