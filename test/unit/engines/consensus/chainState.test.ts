import { describe, expect, it } from "vitest";
import { createVoteSync } from "../../../../src/consensus";
import { type StateBefore140, withVoteSync } from "../../../../src/engines/consensus/chainState";

describe("withVoteSync", () => {
  const old = { core: { height: 7 } } as unknown as StateBefore140;

  it("gives a 1.3.0 state an empty sync that starts at its height", () => {
    const state = withVoteSync(old);
    expect(state.sync.peers.size).toBe(0);
    expect(state.neighbours.size).toBe(0);
    expect(state.synced).toEqual({ height: 7, keys: new Set() });
    expect(state.flushing).toBe(false);
  });

  it("keeps the sync of a state that already has one", () => {
    const sync = createVoteSync();
    const state = withVoteSync({ ...old, sync, flushing: true });
    expect(state.sync).toBe(sync);
    expect(state.flushing).toBe(true);
  });
});
