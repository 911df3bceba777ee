import type { Signed } from "./messages";
import type { TimeoutKind } from "./timeouts";
import type { ConsensusValue } from "./values";

/** Begin `height` at round 0; valid from idle or after a decision (or catch-up) below it. */
export interface StartInput {
  readonly type: "start";
  readonly height: number;
}

/** The engine's answer to `requestValue`: the block this node proposes for (height, round). */
export interface ProposalValueInput {
  readonly type: "proposalValue";
  readonly height: number;
  readonly round: number;
  readonly value: ConsensusValue;
}

/**
 * A signed message, already accepted by `verifyMessage`; this node's own broadcasts
 * come back through here too once signed. `valid` is Algorithm 1's valid(v) for a
 * proposal's block (the engine checked the hash and the content); false makes the
 * node prevote nil on it. Ignored for votes.
 */
export interface MessageInput {
  readonly type: "message";
  readonly signed: Signed;
  readonly valid?: boolean;
}

/** A timeout scheduled by `scheduleTimeout` has fired. */
export interface TimeoutInput {
  readonly type: "timeout";
  readonly kind: TimeoutKind;
  readonly height: number;
  readonly round: number;
}

export type ConsensusInput = StartInput | ProposalValueInput | MessageInput | TimeoutInput;
