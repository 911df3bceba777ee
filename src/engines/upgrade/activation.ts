import type { EngineContext } from "../../runtime";
import { type Activation, compareVersions } from "../../upgrade";
import { CONSENSUS } from "../names";
import type { Release, UpgradeEngineState } from "./upgradeTypes";

/** Pending activations are told to consensus again this often (it may have restarted). */
export const ACTIVATION_RESEND_MS = 1_000;

/**
 * What consensus tells this engine when its chain stands at an activation height, or,
 * with `passed`, that the chain was already past it (at committed height `passed`) when
 * consensus heard of the release: those heights ran the old code.
 */
export interface ActivationDue {
  type: "activationDue";
  chainId: string;
  height: number;
  version: string;
  passed?: number;
}

/** The consensus engine of `chain` on this node. */
export const consensusOf = (chain: string) => ({ engine: `${CONSENSUS}@${chain}` });

/**
 * Whether this node follows the chain a release activates on: only then does the
 * release wait for the height. A node that does not (a node serving other chains)
 * applies it on its rollout turn like any app release.
 */
function followsChain(state: UpgradeEngineState, chain: string): boolean {
  return state.args.modules.instances(CONSENSUS, chain).length > 0;
}

/** The activation a release waits for on this node, if any. */
export function activationOf(state: UpgradeEngineState, release: Release): Activation | undefined {
  const activate = release.signed.manifest.activate;
  if (activate === undefined || !followsChain(state, activate.chain)) return undefined;
  return compareVersions(release.version, state.running) > 0 ? activate : undefined;
}

/**
 * Tells consensus of every release waiting for a height, so the chain pauses there
 * until the new code runs. Sent as soon as a manifest is accepted (before the bundle
 * arrives, so a node still downloading halts instead of passing the height on old code)
 * and again every second, since consensus keeps it in memory only.
 */
export function scheduleActivations(state: UpgradeEngineState, ctx: EngineContext): void {
  for (const release of state.releases.values()) {
    const activation = activationOf(state, release);
    if (activation === undefined) continue;
    ctx.cast(consensusOf(activation.chain), {
      type: "scheduleActivation",
      version: release.version,
      height: activation.height,
    });
  }
}
