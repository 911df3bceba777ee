import { rmSync } from "node:fs";
import {
  type AppHost,
  appEngines,
  appLayout,
  clearTrialMarker,
  evaluateApp,
  HOST_API_VERSION,
  installAppBundle,
  markBad,
  readAppState,
  verifyAppBundle,
  writeAppState,
  writeTrialMarker,
} from "../../boot";
import * as errors from "../../errors";
import type { AnyEngineModule, EngineContext } from "../../runtime";
import * as runtime from "../../runtime";
import {
  type Activation,
  type AppArtifact,
  type BinaryArtifact,
  CHAIN_MODULES,
  canonicalJson,
  compareVersions,
  hotSwap,
  MAX_TURN_WAIT_MS,
  nextStep,
  planRelease,
  planSwap,
  rolloutDelay,
  stillRunning,
  UpgradeError,
  writeUpgradeState,
} from "../../upgrade";
import { activationOf } from "./activation";
import { applyBinary } from "./applyBinary";
import { UPGRADE } from "./messages";
import { releaseNow } from "./releaseClock";
import { report } from "./report";
import type { Release, UpgradeEngineState } from "./upgradeTypes";

/** Applies, waits or does nothing with a verified release, as the policy says. */
export function decide(state: UpgradeEngineState, ctx: EngineContext, version: string): void {
  const release = state.releases.get(version);
  if (release === undefined || release.status !== "verified") return;
  // Never a step back: a release older than what runs is not applied by itself.
  if (compareVersions(version, state.running) <= 0) return;
  if (state.applying || state.trial !== undefined) {
    ctx.sendAfter(1_000, { type: "decide", version });
    return;
  }
  const activation = activationOf(state, release);
  if (activation !== undefined) {
    // Applied when consensus stands at the height (it asks every second), not on a turn.
    release.note = release.activationDue
      ? `verified; applying at height ${activation.height} of chain ${activation.chain}, where the chain waits`
      : `verified; activates at height ${activation.height} of chain ${activation.chain}`;
    return;
  }
  const turnAt =
    Date.parse(release.signed.manifest.createdAt) +
    rolloutDelay(state.args.nodeId, version, state.args.options.rolloutWindowMs);
  const step = nextStep({
    policy: state.args.options.policy,
    complete: true,
    approved: release.approved,
    turnCome: releaseNow(state) >= turnAt,
  });
  if (step === "apply") {
    ctx.info({ type: "applyNow", version });
    return;
  }
  release.note =
    step === "wait-for-turn"
      ? `staged rollout: this node's turn comes at ${new Date(turnAt).toISOString()}`
      : "verified; waiting for `anode upgrade apply`";
  if (step === "wait-for-turn")
    ctx.sendAfter(Math.min(MAX_TURN_WAIT_MS, Math.max(100, turnAt - releaseNow(state))), {
      type: "decide",
      version,
    });
}

/** The host a new bundle is evaluated against: this process's runtime, one registry. */
function hostFor(state: UpgradeEngineState): AppHost {
  const boot = state.args.boot ?? {
    source: "embedded" as const,
    appVersion: state.running,
    binaryVersion: state.running,
    build: "source",
    refused: [],
  };
  return {
    hostApi: HOST_API_VERSION,
    version: boot.binaryVersion,
    runtime,
    errors,
    trust: state.trust,
    boot,
    Level: state.args.Level as AppHost["Level"],
  };
}

/**
 * Applies a verified app release in this process: the bundle's bytes are read from the
 * staging area once, verified against the signed manifest and evaluated from that very
 * buffer; the changed modules are swapped all-or-nothing, then those the manifest says
 * to restart are restarted on their new module; then the health window runs. A trial
 * marker is written first, so a crash from here on is seen by the next boot. With an
 * activation, the chain's own modules change for that chain only. Resolves true once
 * the new code runs.
 */
export async function applyApp(
  state: UpgradeEngineState,
  ctx: EngineContext,
  release: Release,
  activation?: Activation,
): Promise<boolean> {
  const { version } = release;
  const app = release.needs.find((a): a is AppArtifact => a.kind === "app");
  if (app === undefined) return false;
  const { dataDir } = state.args;
  state.applying = true;
  release.status = "applying";
  let installed = false;
  try {
    const bytes = await state.store.assemble(version, app.name, app.chunks.length);
    const manifestBytes = new Uint8Array(Buffer.from(canonicalJson(release.signed)));
    // Accepted while valid: applying it later (after `upgrade apply`, a lifted rollback)
    // is not refused for expiry, which only intake checks.
    verifyAppBundle(manifestBytes, bytes, { version, trust: state.trust });
    const evaluated = evaluateApp(bytes, {
      filename: appLayout(dataDir).bundleFile(version),
      version,
      host: hostFor(state),
    });
    const modules = (await appEngines(evaluated.app)) as Record<string, AnyEngineModule>;
    const scope = activation?.chain;
    const plan = planRelease(state.args.modules.versions(scope), modules, {
      version,
      ...(app.instructions ? { instructions: app.instructions } : {}),
    });
    const scoped = (e: { name: string }) => ({
      name: e.name,
      ...(scope !== undefined && CHAIN_MODULES.includes(e.name) ? { scope } : {}),
    });
    writeTrialMarker(dataDir, {
      version,
      previous: state.running,
      pid: process.pid,
      startedAt: Date.now(),
    });
    installAppBundle(dataDir, { signed: release.signed, bundle: bytes });
    installed = true;
    // The upgrade engine's own module, if it changed, goes last: right after this message.
    const swapped = await hotSwap(state.args.modules, plan.swap.map(scoped), modules, {
      version,
      ...(activation ? { extra: { activation } } : {}),
      self: UPGRADE,
      onSelfFailed: (err) =>
        ctx.info({
          type: "healthCheck",
          version,
          failed: `the upgrade engine's own codeChange failed: ${err instanceof Error ? err.message : String(err)}`,
        }),
    });
    const restarted = state.args.modules.restart(
      plan.restart.map((e) => ({ ...scoped(e), module: modules[e.name] as AnyEngineModule })),
    );
    const records = [...swapped, ...restarted];
    const previous = state.running;
    state.running = version;
    state.runningSince = { reason: "hot-swapped", at: Date.now(), from: previous };
    release.status = "trial";
    count(state, "swaps");
    const what = records.map((r) => `${r.name} ${r.from}→${r.to}`).join(", ");
    release.note = `${what ? `swapped ${what}` : "swapped no engine (same versions)"}${restarted.length ? ` (restarted: ${restarted.map((r) => r.name).join(", ")})` : ""}${activation ? ` at height ${activation.height} of ${activation.chain}` : ""}; health window running`;
    const cancel = ctx.sendAfter(state.args.options.healthWindowMs, {
      type: "healthCheck",
      version,
    });
    state.trial = { version, previous, records, startedAt: Date.now(), cancel };
    ctx.log.info("release swapped in; health window started", {
      version,
      engines: records.map((r) => r.name),
      ...(activation ? { activation } : {}),
    });
    return true;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    failRelease(state, ctx, release, reason, installed);
    return false;
  } finally {
    state.applying = false;
  }
}

/** Marks a release bad for good and leaves no trace of it outside the staging area. */
export function failRelease(
  state: UpgradeEngineState,
  ctx: EngineContext,
  release: Release,
  reason: string,
  installed: boolean,
): void {
  const { dataDir } = state.args;
  release.status = "failed";
  release.note = reason;
  state.persisted.bad[release.version] = reason;
  writeUpgradeState(dataDir, state.persisted);
  try {
    markBad(dataDir, release.version, reason);
  } catch {
    // A malformed app state file: the engine's own bad list still refuses the release.
  }
  clearTrialMarker(dataDir);
  if (installed)
    rmSync(appLayout(dataDir).versionDir(release.version), { recursive: true, force: true });
  report(state.alerts, {
    at: Date.now(),
    version: release.version,
    code: "RELEASE_FAILED",
    reason,
  });
  ctx.log.error("release failed and is marked bad", { version: release.version, reason });
}

/**
 * End of the health window: every engine of a swapped module must still run the module
 * swapped in (supervisors restart from the module table, so a crash restarts new code;
 * only something that replaced the module behind the table's back fails this). Healthy:
 * the release becomes boot's current and last good. Not: the old modules go back in.
 */
export async function healthCheck(
  state: UpgradeEngineState,
  ctx: EngineContext,
  version: string,
  failed?: string,
): Promise<void> {
  const trial = state.trial;
  if (trial === undefined || trial.version !== version) return;
  const release = state.releases.get(version);
  const broken = trial.records.find((r) => !stillRunning(state.args.modules, r));
  const problem =
    failed ?? (broken ? `engine ${broken.name} did not keep running its new code` : undefined);
  trial.cancel();
  state.trial = undefined;
  const { dataDir } = state.args;
  if (problem === undefined) {
    const app = readAppState(dataDir);
    writeAppState(dataDir, { ...app, current: version, lastGood: version });
    raiseBootFloor(state, version);
    clearTrialMarker(dataDir);
    state.rollback = {
      version: trial.previous,
      modules: Object.fromEntries(trial.records.map((r) => [r.name, r.previous])),
    };
    if (release) {
      release.status = "applied";
      release.note = `permanent since ${new Date().toISOString()}`;
    }
    ctx.log.info("release is healthy and permanent", { version });
    return;
  }
  await swapBack(
    state,
    ctx,
    trial.records.map((r) => ({ name: r.name, module: r.previous })),
    version,
  );
  state.running = trial.previous;
  state.runningSince = { reason: "rolled-back", at: Date.now(), from: version };
  // An operator's rollback keeps its own reason: it is the one `upgrade unblock` lifts.
  const reason = problem === ROLLED_BACK ? ROLLED_BACK : `failed its health window: ${problem}`;
  if (release) failRelease(state, ctx, release, reason, true);
}

async function swapBack(
  state: UpgradeEngineState,
  ctx: EngineContext,
  back: Array<{ name: string; module: AnyEngineModule }>,
  version: string,
): Promise<void> {
  count(state, "rollbacks");
  const modules = Object.fromEntries(back.map((b) => [b.name, b.module]));
  const plan = planSwap(state.args.modules.versions(), modules);
  try {
    await hotSwap(state.args.modules, plan, modules, { version, self: UPGRADE });
  } catch (err) {
    ctx.log.error("swap back failed; restarting the node to boot the last good release", { err });
    state.args.exit(75);
  }
}

/**
 * Why a release the operator rolled back is marked bad, in both state files: the one
 * reason `upgrade unblock` may lift (a crash or an equivocation never is).
 */
export const ROLLED_BACK = "rolled back by the operator";

/** A release went permanent: boot must never start anything older again. */
export function raiseBootFloor(state: UpgradeEngineState, version: string): void {
  const floor = state.persisted.bootFloor;
  if (floor !== undefined && compareVersions(floor, version) >= 0) return;
  state.persisted.bootFloor = version;
  writeUpgradeState(state.args.dataDir, state.persisted);
}

/** `upgrade rollback`: the previous release's modules back in, this one marked bad. */
export async function rollback(state: UpgradeEngineState, ctx: EngineContext) {
  if (state.trial !== undefined) {
    const version = state.trial.version;
    await healthCheck(state, ctx, version, ROLLED_BACK);
    return { rolledBack: version, running: state.running };
  }
  const target = state.rollback;
  if (target === undefined) {
    throw new UpgradeError(
      { code: "UPGRADE_NOTHING_TO_ROLL_BACK" },
      "Cannot roll back: this process has applied no release to go back from (restart to boot the last good one)",
    );
  }
  const version = state.running;
  await swapBack(
    state,
    ctx,
    Object.entries(target.modules).map(([name, module]) => ({ name, module })),
    version,
  );
  const { dataDir } = state.args;
  const app = readAppState(dataDir);
  delete app.current;
  delete app.lastGood;
  app.bad[version] = ROLLED_BACK;
  writeAppState(dataDir, app);
  state.persisted.bad[version] = ROLLED_BACK;
  // The one way below the floor: the operator chose the release rolled back to.
  state.persisted.bootFloor = target.version;
  writeUpgradeState(dataDir, state.persisted);
  const release = state.releases.get(version);
  if (release) {
    release.status = "failed";
    release.note = ROLLED_BACK;
  }
  state.running = target.version;
  state.runningSince = { reason: "rolled-back", at: Date.now(), from: version };
  state.rollback = undefined;
  return { rolledBack: version, running: state.running };
}

/** A release with this platform's binary restarts into it (its app is embedded in it). */
export function applyNow(state: UpgradeEngineState, ctx: EngineContext, version: string) {
  const release = state.releases.get(version);
  if (release === undefined || release.status !== "verified") return Promise.resolve();
  const binary = release.needs.find((a): a is BinaryArtifact => a.kind === "binary");
  if (binary !== undefined) {
    return applyBinary(state, ctx, release, {
      artifact: binary,
      fail: (reason) => failRelease(state, ctx, release, reason, false),
    });
  }
  return applyApp(state, ctx, release);
}

/** Counts a swap or a rollback for the metrics (a state from 1.0.0 starts from nothing). */
function count(state: UpgradeEngineState, what: "swaps" | "rollbacks"): void {
  state.counts ??= { swaps: 0, rollbacks: 0 };
  state.counts[what] += 1;
}
