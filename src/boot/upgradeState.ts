import { mkdirSync, readFileSync } from "node:fs";
import { stagingLayout } from "./stagingLayout";
import { writeFileAtomic } from "./writeFileAtomic";

/**
 * What the upgrade engine must remember across restarts. `highestAccepted` is what makes
 * a replayed old release fail after a restart too; `known` is what makes a second,
 * different manifest for a version detectable as equivocation; `bootFloor` is what
 * stops boot from ever starting an older installed release.
 */
export interface UpgradeState {
  highestAccepted?: string;
  /**
   * The highest app release this node made permanent (it passed its health window),
   * lowered only by an operator's `upgrade rollback` to the release rolled back to.
   * Boot never boots an installed bundle below it (src/boot/selectCandidates.ts).
   *
   * Not `highestAccepted`: a release is accepted when its manifest arrives, long before
   * it runs (policy notify or manual, a staged rollout, a download in progress), and a
   * floor at an accepted-but-not-installed version would throw every restart back to
   * the embedded app.
   */
  bootFloor?: string;
  /** Version to the digest of the manifest accepted for it. */
  known: Record<string, string>;
  /** Version to why it is refused for good (failed, crashed, equivocated). */
  bad: Record<string, string>;
}

export function readUpgradeState(dataDir: string): UpgradeState {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(stagingLayout(dataDir).stateFile, "utf8"));
  } catch {
    // Missing (first start) or torn by a crash mid-write (impossible with rename, but a
    // hand-edited file can be anything): start from nothing; boot's app state still
    // holds the bad versions and the running version bounds what is accepted.
    return { known: {}, bad: {} };
  }
  const o = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
  const state: UpgradeState = { known: strings(o.known), bad: strings(o.bad) };
  if (typeof o.highestAccepted === "string") state.highestAccepted = o.highestAccepted;
  if (typeof o.bootFloor === "string") state.bootFloor = o.bootFloor;
  return state;
}

export function writeUpgradeState(dataDir: string, state: UpgradeState): void {
  const { root, stateFile } = stagingLayout(dataDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  writeFileAtomic(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

function strings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof v !== "object" || v === null) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}
