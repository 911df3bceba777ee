import type { BrokerEvent } from "../../runtime";
import type { LinkMismatch } from "./chainLink";

/** Broker topic of a block that does not extend this node's chain. */
export const DIVERGENCE_TOPIC = "consensus.divergence";

export interface DivergenceBody extends LinkMismatch {
  chainId: string;
  height: number;
  /** A proposal this node refused to vote for, or a decided block it refused to apply. */
  source: "proposal" | "commit";
  proposer: string;
}

/**
 * Built here rather than with nodeEvent: the topic is not in NodeEvents (src/engines/events.ts)
 * yet; the body has the same shape either way.
 */
export function divergenceEvent(body: DivergenceBody, time = Date.now()): BrokerEvent {
  return { topic: DIVERGENCE_TOPIC, body, time };
}
