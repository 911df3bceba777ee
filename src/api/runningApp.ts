import { OPERATOR, type RunningApp, UPGRADE } from "../engines";
import type { ApiDeps } from "./apiDeps";

/** A status call must answer even while the upgrade engine is busy swapping engines. */
const RUNNING_APP_TIMEOUT_MS = 2_000;

/**
 * Which app version runs in this process now and why, as the upgrade engine knows it:
 * after a hot swap that is not what boot chose at start (`boot` in /v1/status). Absent
 * when the engine does not answer in time; `boot` still says what started.
 */
export async function runningApp(deps: ApiDeps): Promise<RunningApp | undefined> {
  try {
    return (await deps.mailer.call(
      { engine: UPGRADE },
      { type: "running", op: OPERATOR },
      RUNNING_APP_TIMEOUT_MS,
    )) as RunningApp;
  } catch {
    return undefined;
  }
}
