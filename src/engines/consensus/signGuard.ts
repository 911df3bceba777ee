import { readFileSync } from "node:fs";
import type { ConsensusMessage } from "../../consensus";
import { writeFileAtomic } from "../../files";

const RANK = { proposal: 0, prevote: 1, precommit: 2 } as const;

export interface SignedPosition {
  height: number;
  round: number;
  rank: number;
}

/**
 * Never sign twice at one (height, round, step), not even across a crash: the core's
 * state is not persisted, so a validator restarting mid-height would start round 0 again
 * and could sign a conflicting vote. The last position signed is fsynced before each
 * signature leaves the node; anything at or before it is refused.
 */
export class SignGuard {
  private last: SignedPosition | undefined;

  constructor(private readonly file: string) {
    try {
      const raw = JSON.parse(readFileSync(file, "utf8")) as SignedPosition;
      if (
        Number.isSafeInteger(raw.height) &&
        Number.isSafeInteger(raw.round) &&
        Number.isSafeInteger(raw.rank)
      )
        this.last = raw;
    } catch {
      this.last = undefined;
    }
  }

  /** Records the position and returns true when `m` may be signed. */
  allow(m: ConsensusMessage): boolean {
    const next = { height: m.height, round: m.round, rank: RANK[m.type] };
    if (this.last && compare(next, this.last) <= 0) return false;
    writeFileAtomic(this.file, JSON.stringify(next));
    this.last = next;
    return true;
  }
}

function compare(a: SignedPosition, b: SignedPosition): number {
  return a.height - b.height || a.round - b.round || a.rank - b.rank;
}
