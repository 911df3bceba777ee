import type { BrokerEvent, EngineContext } from "../../runtime";
import { nodeEvent } from "../events";
import type { Block } from "./block";
import { type ChainLink, describeMismatch, type LinkMismatch, linkMismatch } from "./chainLink";
import type { ChainState } from "./chainState";

/** Broker topic of a block that does not extend this node's chain. */
export const DIVERGENCE_TOPIC = "consensus.divergence" as const;

export interface DivergenceBody extends LinkMismatch {
  chainId: string;
  height: number;
  /** A proposal this node refused to vote for, or a decided block it refused to apply. */
  source: "proposal" | "commit";
  proposer: string;
}

export function divergenceEvent(body: DivergenceBody, time = Date.now()): BrokerEvent {
  return nodeEvent(DIVERGENCE_TOPIC, body, time);
}

/**
 * A block that does not extend this node's chain: an error log, a counter, an event and
 * a status line. A proposal is refused (valid = false); a decided block halts the chain
 * on this node.
 */
export function reportDivergence(
  state: ChainState,
  ctx: EngineContext,
  at: { height: number; source: "proposal" | "commit"; proposer: string },
  mismatch: LinkMismatch,
): void {
  const chainId = state.args.chain.chainId;
  state.stats.diverged++;
  const line = `${chainId} diverged at height ${at.height}: ${describeMismatch(mismatch)}`;
  state.alarm =
    at.source === "proposal"
      ? `${chainId}: the proposal of ${at.proposer} for height ${at.height} does not extend this node's chain: ${describeMismatch(mismatch)}`
      : line;
  ctx.log.error(
    at.source === "proposal"
      ? "proposal does not extend this node's chain: not voting for it"
      : "decided block does not extend this node's chain: halting",
    { chainId, ...at, field: mismatch.field, block: mismatch.block, own: mismatch.own },
  );
  state.args.broker.publish(divergenceEvent({ chainId, ...at, ...mismatch }));
  if (at.source === "commit") haltChain(state, ctx, line);
}

/** Whether `block` does not extend this node's chain at `own`; if so it is reported. */
export function divergent(
  state: ChainState,
  ctx: EngineContext,
  block: Block,
  own: ChainLink,
  at: { height: number; source: "proposal" | "commit"; proposer: string },
): boolean {
  const mismatch = linkMismatch(block, own);
  if (mismatch === undefined) return false;
  reportDivergence(state, ctx, at, mismatch);
  return true;
}

/** Stops this chain on this node: nothing more is signed, judged or applied. */
export function haltChain(state: ChainState, ctx: EngineContext, why: string): void {
  if (state.halted !== undefined) return;
  state.halted = why;
  state.alarm ??= why;
  state.own = [];
  state.deferred = [];
  state.buffered = [];
  ctx.log.error("chain halted on this node", { chainId: state.args.chain.chainId, why });
}
