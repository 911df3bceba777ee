import type { SignedVote } from "./messages";
import type { ValueId } from "./values";

/**
 * Proof that a value was committed at a height: more than two thirds of the voting power
 * precommitted its id in one round. Stored beside the block; followers and catching-up
 * nodes check it with `verifyCertificate` instead of trusting whoever sent the block.
 */
export interface CommitCertificate {
  readonly chainId: string;
  readonly height: number;
  readonly round: number;
  readonly valueId: ValueId;
  readonly precommits: readonly SignedVote[];
}
