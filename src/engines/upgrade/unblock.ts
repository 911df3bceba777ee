import { readAppState, writeAppState } from "../../boot";
import type { EngineContext } from "../../runtime";
import { UpgradeError, writeUpgradeState } from "../../upgrade";
import { ROLLED_BACK } from "./applying";
import { isComplete, scheduleTick } from "./fetching";
import type { UpgradeEngineState } from "./upgradeTypes";

/**
 * `upgrade unblock <version>`: lifts an operator's rollback, so the release can be
 * applied again. Only a rollback: a release that crashed, failed its health window or
 * equivocated stays refused for good, because no operator decision makes that safe.
 * The release goes back to verified (or fetching, if chunks are missing) and the policy
 * takes over: auto applies it on its turn, notify and manual wait for `upgrade apply`.
 */
export function unblock(state: UpgradeEngineState, ctx: EngineContext, version: string) {
  const { dataDir } = state.args;
  const app = readAppState(dataDir);
  const reasons = [state.persisted.bad[version], app.bad[version]].filter(
    (r): r is string => r !== undefined,
  );
  if (reasons.length === 0) {
    throw new UpgradeError(
      { code: "UPGRADE_UNKNOWN_RELEASE", version },
      `Cannot unblock ${version}: it is not marked bad on this node (nothing to lift)`,
    );
  }
  const other = reasons.find((r) => r !== ROLLED_BACK);
  if (other !== undefined) {
    throw new UpgradeError(
      { code: "UPGRADE_NOT_LIFTABLE", version, reason: other },
      `Cannot unblock ${version}: it is marked bad because ${other}; only an operator's rollback can be lifted`,
    );
  }
  const release = state.releases.get(version);
  if (release === undefined) {
    throw new UpgradeError(
      { code: "UPGRADE_UNKNOWN_RELEASE", version },
      `Cannot unblock ${version}: this node no longer holds it in its staging area`,
    );
  }
  delete state.persisted.bad[version];
  writeUpgradeState(dataDir, state.persisted);
  delete app.bad[version];
  writeAppState(dataDir, app);
  release.approved = false;
  release.status = isComplete(release) ? "verified" : "fetching";
  release.note = "rollback lifted by the operator";
  if (release.status === "verified") ctx.info({ type: "decide", version });
  else scheduleTick(state, ctx, 0);
  ctx.log.info("rollback lifted", { version });
  return { version, status: release.status, policy: state.args.options.policy };
}
