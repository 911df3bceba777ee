import type { EngineContext } from "../../runtime";
import type { Trial, UpgradeEngineState } from "./upgradeTypes";

/**
 * What this process has done with releases, kept across restarts of the upgrade engine
 * itself (a crash elsewhere restarting its subtree, or a `restart` instruction): the
 * modules swapped in stay in the module table through such a restart, so the engine
 * must not forget that it runs them, nor settle its own live trial as a crash.
 */
export interface ProcessMemo {
  saved?: {
    running: string;
    runningSince: UpgradeEngineState["runningSince"];
    trial: Omit<Trial, "cancel"> | undefined;
    rollback: UpgradeEngineState["rollback"];
  };
}

export function rememberProcess(state: UpgradeEngineState): void {
  const memo = state.args.memo;
  if (memo === undefined) return;
  const { trial } = state;
  memo.saved = {
    running: state.running,
    runningSince: state.runningSince,
    trial: trial && {
      version: trial.version,
      previous: trial.previous,
      records: trial.records,
      startedAt: trial.startedAt,
    },
    rollback: state.rollback,
  };
}

/** The version on trial in this process, if an earlier incarnation left one. */
export function liveTrial(state: Pick<UpgradeEngineState, "args">): string | undefined {
  return state.args.memo?.saved?.trial?.version;
}

/** Once the staged releases are read back: the one on trial says so. */
export function markLiveTrial(state: UpgradeEngineState): void {
  const version = state.trial?.version;
  const release = version === undefined ? undefined : state.releases.get(version);
  if (release === undefined) return;
  release.status = "trial";
  release.note = "health window running again: the upgrade engine restarted";
}

/**
 * Takes back what an earlier incarnation in this process knew. A trial it had running
 * gets a fresh health window: the restart may be the very fault the window is for.
 */
export function recallProcess(state: UpgradeEngineState, ctx: EngineContext): void {
  const saved = state.args.memo?.saved;
  if (saved === undefined) return;
  state.running = saved.running;
  state.runningSince = saved.runningSince;
  state.rollback = saved.rollback;
  if (saved.trial !== undefined) {
    const { version } = saved.trial;
    const cancel = ctx.sendAfter(state.args.options.healthWindowMs, {
      type: "healthCheck",
      version,
    });
    state.trial = { ...saved.trial, cancel };
  }
  ctx.log.warn("upgrade engine restarted in a running node; it keeps what this process runs", {
    running: state.running,
    trial: saved.trial?.version,
  });
}
