import { describe, expect, it } from "vitest";
import type { ConsensusInput, ConsensusState, Signed } from "../../../../src/consensus";
import { withMetrics } from "../../../../src/engines/consensus/chainState";
import {
  COMMIT_SECONDS_BUCKETS,
  countStep,
  newConsensusMetrics,
  observeCommit,
} from "../../../../src/engines/consensus/consensusMetrics";

const at = (height: number, round: number) => ({ height, round }) as unknown as ConsensusState;
const vote = (type: string): ConsensusInput =>
  ({ type: "message", signed: { message: { type } } as unknown as Signed }) as ConsensusInput;

describe("consensus metrics", () => {
  it("count messages by type, rounds past 0, and the time from a height's start to its decision", () => {
    const m = newConsensusMetrics();
    countStep(m, { type: "start", height: 5 }, at(4, 0), at(5, 0), 1_000);
    countStep(m, vote("proposal"), at(5, 0), at(5, 0));
    countStep(m, vote("prevote"), at(5, 0), at(5, 0));
    countStep(m, vote("prevote"), at(5, 0), at(5, 0));
    countStep(m, { type: "timeout", kind: "precommit", height: 5, round: 0 }, at(5, 0), at(5, 2));
    observeCommit(m, 1_300);
    expect(m.messages).toEqual({ proposal: 1, prevote: 2, precommit: 0 });
    expect(m.rounds).toBe(2);
    expect(m.commitSeconds.count).toBe(1);
    expect(m.commitSeconds.sum).toBeCloseTo(0.3);
    expect(m.commitSeconds.counts[COMMIT_SECONDS_BUCKETS.indexOf(0.5)]).toBe(1);
    // A decision with no height start seen (after a swap in mid-height) is not timed.
    observeCommit(m, 5_000);
    expect(m.commitSeconds.count).toBe(1);
  });

  it("start from nothing when a 1.4.0 state is swapped to 1.5.0, and survive a second swap", () => {
    const old = { core: at(3, 0) } as unknown as Parameters<typeof withMetrics>[0];
    const swapped = withMetrics(old);
    expect(swapped.metrics).toEqual(newConsensusMetrics());
    swapped.metrics.rounds = 4;
    expect(withMetrics(swapped).metrics.rounds).toBe(4);
  });
});
