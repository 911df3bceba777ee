import type { EngineContext } from "../../runtime";
import { nextStep } from "../../upgrade";
import { type ActivationDue, consensusOf } from "./activation";
import { applyApp } from "./applying";
import type { UpgradeEngineState } from "./upgradeTypes";

/**
 * Consensus stands at the height: H-1 is committed and nothing of H has been signed.
 * If the release is verified (and the policy lets this node take it) it is applied now
 * with the chain's modules changing for that chain, and consensus is told to go on;
 * otherwise the note says what the chain waits for, and it is applied the moment it is
 * verified (see `decide`). Consensus asks again every second, so answers are idempotent.
 *
 * A chain already past the height when it heard of the release (`passed`) ran those
 * heights on the old code. Its roots still match the chain's, or it would have halted on
 * a divergence, so the release is taken now, as soon as it may be, rather than never: on
 * the old code the node would halt at the first block the new code computes differently.
 */
export async function onActivationDue(
  state: UpgradeEngineState,
  ctx: EngineContext,
  due: ActivationDue,
): Promise<void> {
  const release = state.releases.get(due.version);
  const activate = release?.signed.manifest.activate;
  if (
    release === undefined ||
    activate === undefined ||
    activate.chain !== due.chainId ||
    activate.height !== due.height
  ) {
    ctx.log.warn("consensus waits for an activation this node does not know", { ...due });
    return;
  }
  const late = due.passed !== undefined;
  if (release.version === state.running) {
    if (!late) ctx.cast(consensusOf(due.chainId), activated(due));
    return;
  }
  release.activationDue = true;
  if (state.applying || state.trial !== undefined) return;
  const halted = late
    ? `chain ${due.chainId} went past height ${due.height} on the old code (it was at ${due.passed} when this node heard of the release)`
    : `chain ${due.chainId} halted at height ${due.height}`;
  if (release.status !== "verified") {
    release.note =
      release.status === "failed"
        ? `${halted}: this release failed here (${release.note ?? "see the log"}); a fixed release is needed`
        : `${halted}: waiting for this release (${release.status})`;
    return;
  }
  const step = nextStep({
    policy: state.args.options.policy,
    complete: true,
    approved: release.approved,
    turnCome: true,
  });
  if (step !== "apply") {
    release.note = `${halted}: waiting for \`anode upgrade apply ${release.version}\``;
    return;
  }
  if (await applyApp(state, ctx, release, activate)) {
    if (late) {
      ctx.log.warn("release applied after its activation height", { ...due });
      return;
    }
    ctx.log.info("release activated at its height", { ...due });
    ctx.cast(consensusOf(due.chainId), activated(due));
  }
}

const activated = (due: ActivationDue) => ({
  type: "activated",
  version: due.version,
  height: due.height,
});
