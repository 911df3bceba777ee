import { rmSync } from "node:fs";
import { clearBinaryTrial, RESTART_EXIT_CODE, writeBinaryTrial } from "../../boot";
import type { EngineContext } from "../../runtime";
import {
  type BinaryArtifact,
  binaryPaths,
  removeStagedBinary,
  sha512Hex,
  stageBinary,
  swapBinary,
  writeStagedBinary,
} from "../../upgrade";
import type { Release, UpgradeEngineState } from "./upgradeTypes";

/**
 * Applies a verified binary release: the executable is assembled from its verified
 * chunks, checked whole against the signed sha512, written beside the current one and
 * flushed, renamed into place keeping `.old`, and the node exits with the restart code.
 * Under a privileged swap the node may not write that folder: it leaves the bytes and the
 * manifest in the data directory for the root pre-start step (src/boot/applyStagedBinary.ts).
 * The binary trial marker is written first, so whatever step a crash interrupts, the
 * next boot sees the trial (see src/boot/binaryTrialStep.ts).
 */
export async function applyBinary(
  state: UpgradeEngineState,
  ctx: EngineContext,
  release: Release,
  o: { artifact: BinaryArtifact; fail: (reason: string) => void },
): Promise<void> {
  const exe = state.args.binary.path;
  if (exe === undefined) return;
  const { dataDir } = state.args;
  const { version } = release;
  state.applying = true;
  release.status = "applying";
  try {
    const bytes = await state.store.assemble(version, o.artifact.name, o.artifact.chunks.length);
    if (bytes.byteLength !== o.artifact.size || sha512Hex(bytes) !== o.artifact.sha512) {
      throw new Error(`the assembled ${o.artifact.name} does not match its signed sha512`);
    }
    const previous = state.args.boot?.binaryVersion ?? state.running;
    writeBinaryTrial(dataDir, { version, previous, exe });
    const privileged = state.args.binary.privileged === true;
    if (privileged) {
      // Root's pre-start step checks these again from scratch and swaps them in.
      writeStagedBinary(dataDir, bytes, release.text);
    } else {
      stageBinary(exe, bytes);
      if (paused(state, ctx, "staged")) return;
      swapBinary(exe);
      if (paused(state, ctx, "renamed")) return;
    }
    release.status = "restarting";
    release.note = privileged
      ? `binary ${version} staged for the service's pre-start step; restarting into it`
      : `binary ${version} in place (${previous} kept as .old); restarting into it`;
    ctx.log.info(`binary release ${privileged ? "staged" : "in place"}; restarting into it`, {
      version,
      previous,
      exe,
    });
    state.args.exit(RESTART_EXIT_CODE);
  } catch (err) {
    rmSync(binaryPaths(exe).staged, { force: true });
    removeStagedBinary(dataDir);
    clearBinaryTrial(dataDir);
    state.applying = false;
    o.fail(err instanceof Error ? err.message : String(err));
  }
}

/** The crash test's hook: stop at a step and wait to be killed, as a power cut would. */
function paused(state: UpgradeEngineState, ctx: EngineContext, step: "staged" | "renamed") {
  if (state.args.pauseAt !== step) return false;
  ctx.log.warn("binary upgrade paused for a crash test", { step });
  return true;
}

/**
 * The new binary's health window: passed, the trial marker goes and so does `.old`
 * (a later failure is a crash like any other, not the release's). Failed means this
 * process died first, which the next boot sees by the marker.
 */
export function binaryHealthy(state: UpgradeEngineState, ctx: EngineContext): void {
  const exe = state.args.binary.path;
  if (exe === undefined) return;
  clearBinaryTrial(state.args.dataDir);
  try {
    rmSync(binaryPaths(exe).old, { force: true });
  } catch {
    // A folder only root writes (a privileged swap): `.old` stays as the rollback copy
    // until the next binary release replaces it.
  }
  state.binaryTrial = undefined;
  ctx.log.info("binary release is healthy and permanent", { version: state.running });
}
