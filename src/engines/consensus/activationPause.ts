import type { EngineContext } from "../../runtime";
import { UPGRADE } from "../upgrade";
import { ACTIVATION_DUE_RESEND_MS } from "./activation";
import type { ChainState } from "./chainState";

/**
 * How long a (re)started engine holds its first height: longer than the upgrade engine
 * takes to re-send the activations it waits for (every second), so a node restarted
 * while paused does not sign or apply that height on the old code in the meantime.
 */
export const STARTUP_HOLD_MS = 1500;

/** Whether an activation (or the startup hold) holds the chain at `height`. */
export function pausedAt(state: ChainState, height: number): boolean {
  return state.activation?.height === height || state.holdHeight === height;
}

/** The lowest height held, if any: gossip and fetched commits from it on wait. */
export function heldFrom(state: ChainState): number | undefined {
  const a = state.activation?.height;
  const h = state.holdHeight;
  if (a === undefined) return h;
  return h === undefined ? a : Math.min(a, h);
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
  tellUpgrade(state, ctx, a);
  ctx.sendAfter(ACTIVATION_DUE_RESEND_MS, {
    type: "resendActivationDue",
    version: a.version,
    height: a.height,
  });
}

/**
 * The chain is past an activation height it just heard of: the upgrade engine takes the
 * release now rather than never (it is told again with every re-sent schedule, and
 * answers idempotently).
 */
export function castActivationPassed(
  state: ChainState,
  ctx: EngineContext,
  a: { version: string; height: number },
): void {
  tellUpgrade(state, ctx, a, state.args.store.height);
}

function tellUpgrade(
  state: ChainState,
  ctx: EngineContext,
  a: { version: string; height: number },
  passed?: number,
): void {
  ctx.cast(
    { engine: UPGRADE },
    {
      type: "activationDue",
      chainId: state.args.chain.chainId,
      height: a.height,
      version: a.version,
      ...(passed === undefined ? {} : { passed }),
    },
  );
}
