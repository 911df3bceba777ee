import type { BrokerEvent } from "../runtime";
import type { DivergenceBody } from "./consensus/divergence";

export interface TxEventBody {
  id: string;
  height: number;
  index: number;
  ok?: boolean;
  error?: string;
}

/** Topics the node publishes on its broker, with their bodies. */
export interface NodeEvents {
  "tx.submitted": { id: string };
  "tx.ordered": TxEventBody;
  "tx.executed": TxEventBody;
  "tx.committed": TxEventBody;
  "block.committed": { height: number; root: string; txs: number; time: number };
  "node.recovered": { height: number; root: string; replayedBlocks: number; pending: number };
  "peer.up": { id: string; address: string; direction: string };
  "peer.down": { id: string; reason: string };
  "gossip.received": { topic: string; id: string; origin: string; hops: number };
  "consensus.evidence": { chainId: string; validator: string; height: number; round: number };
  /** A block that does not extend this node's chain (see consensus/divergence.ts). */
  "consensus.divergence": DivergenceBody;
}

export type NodeTopic = keyof NodeEvents;

export function nodeEvent<T extends NodeTopic>(
  topic: T,
  body: NodeEvents[T],
  time = Date.now(),
): BrokerEvent {
  return { topic, body, time };
}
