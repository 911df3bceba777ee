import type { ConsensusValue, ValueId } from "./values";

export type VoteType = "prevote" | "precommit";
export type MessageType = "proposal" | VoteType;

/** <PROPOSAL, h, r, v, validRound> of Algorithm 1, signed by `proposer`. */
export interface Proposal {
  readonly type: "proposal";
  readonly chainId: string;
  readonly height: number;
  readonly round: number;
  readonly value: ConsensusValue;
  /** The round in which the proposer saw 2f+1 prevotes for the value, or -1. */
  readonly validRound: number;
  readonly proposer: string;
}

/** <PREVOTE|PRECOMMIT, h, r, id(v) | nil> of Algorithm 1, signed by `voter`. */
export interface Vote {
  readonly type: VoteType;
  readonly chainId: string;
  readonly height: number;
  readonly round: number;
  /** null is Algorithm 1's nil. */
  readonly valueId: ValueId | null;
  readonly voter: string;
}

export type ConsensusMessage = Proposal | Vote;

/** A message with the ed25519 signature of its `signBytes` by its signer's node key. */
export interface Signed<M extends ConsensusMessage = ConsensusMessage> {
  readonly message: M;
  readonly signature: Uint8Array;
}

export type SignedProposal = Signed<Proposal>;
export type SignedVote = Signed<Vote>;

/** The validator that signs `message`. */
export function signerOf(message: ConsensusMessage): string {
  return message.type === "proposal" ? message.proposer : message.voter;
}
