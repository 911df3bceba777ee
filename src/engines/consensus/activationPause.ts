import type { EngineContext } from "../../runtime";
import { UPGRADE } from "../upgrade";
import { ACTIVATION_DUE_RESEND_MS } from "./activation";
import type { ChainState } from "./chainState";

/** Whether the core stands at `height` and an activation holds it there. */
export function pausedAt(state: ChainState, height: number): boolean {
  return state.activation !== undefined && state.activation.height === height;
}

/** At the activation height with the height before committed: ask for the new code. */
export function reachActivation(state: ChainState, ctx: EngineContext): void {
  const a = state.activation;
  if (a?.state !== "scheduled" || state.halted !== undefined) return;
  if (state.core.height !== a.height || state.args.store.height !== a.height - 1) return;
  a.state = "waiting";
  ctx.log.warn("chain paused for an activation", {
    chainId: state.args.chain.chainId,
    version: a.version,
    height: a.height,
  });
  castActivationDue(state, ctx);
}

export function castActivationDue(state: ChainState, ctx: EngineContext): void {
  const a = state.activation;
  if (a === undefined) return;
  ctx.cast(
    { engine: UPGRADE },
    {
      type: "activationDue",
      chainId: state.args.chain.chainId,
      height: a.height,
      version: a.version,
    },
  );
  ctx.sendAfter(ACTIVATION_DUE_RESEND_MS, {
    type: "resendActivationDue",
    version: a.version,
    height: a.height,
  });
}
