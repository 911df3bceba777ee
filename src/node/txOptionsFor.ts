import { join } from "node:path";
import type { NodeOptions } from "../config";
import type { ChainSpec } from "../consensus";
import type { NodeIdentity } from "../p2p";
import { timeoutsFromConfig } from "./chainFromConfig";
import type { TxTreeOptions } from "./txTree";

/** The transaction subtree's options for one chain (or, without one, single-node blocks). */
export function txOptionsFor(
  options: NodeOptions,
  chain: ChainSpec | undefined,
  identity: NodeIdentity,
  gossipTopic: string,
): TxTreeOptions {
  return {
    mempool: {
      limits: { maxTxBytes: options.mempool.maxTxBytes },
      maxPending: options.mempool.maxPending,
      maxBlockTxs: options.node.maxBlockTxs,
      blockIntervalMs: options.node.blockIntervalMs,
      mode: chain ? "consensus" : "single",
      gossipTopic,
    },
    workers: options.executor.workers,
    verifyOnStart: true,
    ...(chain
      ? {
          consensus: {
            chain,
            identity,
            timeouts: timeoutsFromConfig(options.consensus),
            emptyBlockIntervalMs: options.consensus.emptyBlockIntervalMs,
            gossipMessages: options.consensus.gossipMessages,
            guard: { file: join(options.dataDir, `consensus-${chain.chainId}.signed`) },
          },
        }
      : {}),
  };
}
