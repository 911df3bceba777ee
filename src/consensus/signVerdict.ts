import type { ConsensusMessage } from "./messages";
import { signBytes } from "./signBytes";

const RANK = { proposal: 0, prevote: 1, precommit: 2 } as const;

/** sign: a position after the last one; resend: the very message signed last; else refuse. */
export type SignVerdict = "sign" | "resend" | "refuse";

/**
 * Whether a validator whose last signed message is `last` (undefined: it never signed)
 * may sign `next`. Positions (height, round, step) only go forward, so nothing at or
 * before the last one is signed again, except the last message itself, byte for byte
 * what its signature covers: re-sending it is not an equivocation.
 */
export function signVerdict(
  last: ConsensusMessage | undefined,
  next: ConsensusMessage,
): SignVerdict {
  if (last === undefined) return "sign";
  const order = comparePositions(next, last);
  if (order > 0) return "sign";
  if (order === 0 && Buffer.from(signBytes(next)).equals(signBytes(last))) return "resend";
  return "refuse";
}

/** Orders messages by (height, round, step): negative when `a` comes first. */
export function comparePositions(a: ConsensusMessage, b: ConsensusMessage): number {
  return a.height - b.height || a.round - b.round || RANK[a.type] - RANK[b.type];
}
