import type { ChainSpec } from "./chainSpec";
import type { TimeoutOptions } from "./timeouts";

/** What one chain's state machine needs to know; fixed for the life of the state. */
export interface ConsensusConfig extends ChainSpec {
  /**
   * This node's id. When it is not in the validator set the machine only follows: it
   * tallies, decides and reports evidence, but never votes or proposes.
   */
  readonly self: string;
  readonly timeouts: TimeoutOptions;
}
