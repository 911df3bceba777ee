import { availableParallelism } from "node:os";

/** Faster than the production defaults: loopback links are quick and tests wait on them. */
const BASE = {
  proposeTimeoutMs: 1000,
  voteTimeoutMs: 500,
  timeoutDeltaMs: 250,
  emptyBlockIntervalMs: 500,
} as const;

/**
 * CPU time one height costs one node, per validator of the chain (every node checks every
 * validator's votes and relays them): measured at about 5 ms on a 10-node, 5-validator
 * testnet (26 ms per node per height, fixed costs included, so larger sets cost less per
 * validator than this).
 */
const CPU_MS_PER_NODE_VALIDATOR = 5;

export type TestnetTimeouts = { -readonly [K in keyof typeof BASE]: number } & {
  /** How many times the base timeouts these are (1 for a testnet the cores keep up with). */
  scale: number;
};

/**
 * Consensus timeouts for a testnet whose nodes share one machine's cores. A height costs
 * about nodes × validators × 5 ms of CPU across the testnet; when that is longer than the
 * base propose timeout, every round would time out before its votes were even checked,
 * and each new round adds more votes to check: the chain stalls for want of CPU, not of
 * network. The timeouts (and the empty-block interval, which otherwise keeps the cores
 * busy with empty heights) grow by that factor. Only waits on a missing proposer or
 * missing votes get longer: a round that hears its quorum moves on at once.
 */
export function testnetTimeouts(
  nodes: number,
  validators: number,
  cores: number = availableParallelism(),
): TestnetTimeouts {
  const heightMs = (nodes * validators * CPU_MS_PER_NODE_VALIDATOR) / Math.max(1, cores);
  const scale = Math.max(1, Math.ceil(heightMs / BASE.proposeTimeoutMs));
  return {
    proposeTimeoutMs: BASE.proposeTimeoutMs * scale,
    voteTimeoutMs: BASE.voteTimeoutMs * scale,
    timeoutDeltaMs: BASE.timeoutDeltaMs * scale,
    emptyBlockIntervalMs: BASE.emptyBlockIntervalMs * scale,
    scale,
  };
}
