import type { MessageType, Signed } from "./messages";

/**
 * Two different messages signed by one validator for one (height, round, type): proof
 * of Byzantine behaviour that anyone can check with the two signatures.
 */
export interface Equivocation {
  readonly chainId: string;
  readonly height: number;
  readonly round: number;
  readonly type: MessageType;
  readonly validator: string;
  /** The one this node counted. */
  readonly first: Signed;
  /** The conflicting one, which was not counted. */
  readonly second: Signed;
}
