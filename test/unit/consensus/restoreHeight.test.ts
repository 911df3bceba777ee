import { describe, expect, it } from "vitest";
import {
  ConsensusError,
  type ConsensusMessage,
  type ConsensusState,
  restoreHeight,
  type SavedState,
  type Signed,
  savedState,
} from "../../../src/consensus";
import { broadcasts, fixture, Harness, ofType, sign, value } from "./fixtures";

// Four equal validators; at height 1 the proposer of round r is validator (1 + r) mod 4.
const A = value("a");
const B = value("b");

/** Node `self` of a fresh harness, with what it would have saved after its last broadcast. */
function running(self = 0): { h: Harness; saved: () => SavedState } {
  const h = new Harness(fixture([1, 1, 1, 1]), self);
  const saved = () => {
    const last = broadcasts(h.outputs).at(-1) as ConsensusMessage;
    return savedState(h.state, signedBy(h, last));
  };
  return { h, saved };
}

function signedBy(h: Harness, m: ConsensusMessage): Signed {
  const key = h.fx.keys[h.self];
  if (key === undefined) throw new Error("no key");
  return sign(m, key);
}

/** The same validator after a crash: nothing in memory, then the saved state. */
function restarted(saved: SavedState, self = 0) {
  const h = new Harness(fixture([1, 1, 1, 1]), self);
  const result = restoreHeight(h.state, saved);
  h.state = result.state;
  return { h, outputs: result.outputs };
}

describe("restoreHeight", () => {
  it("keeps the lock: locked on A before the crash, it prevotes nil on B in a later round after it", () => {
    const { h, saved } = running();
    h.start(1);
    h.proposal(A);
    h.votes("prevote", [1, 2], A.id); // locks A and precommits it
    const s = saved();
    expect(s).toMatchObject({ lockedRound: 0, lockedValue: A, validRound: 0, validValue: A });
    expect(s.last.message).toMatchObject({ type: "precommit", round: 0, valueId: A.id });

    const { h: back, outputs } = restarted(s);
    expect(back.state).toMatchObject({
      height: 1,
      round: 0,
      step: "precommit",
      lockedRound: 0,
      lockedValue: A,
    });
    expect(broadcasts(outputs)).toEqual([]);
    expect(ofType(outputs, "scheduleTimeout")).toEqual([
      expect.objectContaining({ kind: "precommit", height: 1, round: 0 }),
    ]);
    back.votes("precommit", [1, 2], null);
    back.timeout("precommit");
    expect(broadcasts(back.proposal(B))).toEqual([
      expect.objectContaining({ type: "prevote", round: 1, valueId: null }),
    ]);

    // The unsafe variant the record exists for: started afresh, it prevotes B.
    const forgot = new Harness(fixture([1, 1, 1, 1]), 0);
    forgot.start(1);
    forgot.timeout("propose");
    forgot.votes("precommit", [1, 2], null);
    forgot.timeout("precommit");
    expect(broadcasts(forgot.proposal(B))).toEqual([
      expect.objectContaining({ type: "prevote", round: 1, valueId: B.id }),
    ]);
  });

  it("resumes at the round it reached, in the step after its last signature, with its own vote counted", () => {
    const { h, saved } = running();
    h.start(1);
    for (const r of [0, 1]) {
      h.timeout("propose");
      h.votes("prevote", [1, 2], null); // precommits nil at once
      h.votes("precommit", [1, 2], null);
      h.timeout("precommit", { round: r });
    }
    h.timeout("propose"); // round 2: prevote nil, then the crash
    const s = saved();
    expect(s.last.message).toMatchObject({ type: "prevote", round: 2, valueId: null });

    const { h: back, outputs } = restarted(s);
    expect(back.state).toMatchObject({ height: 1, round: 2, step: "prevote", lockedRound: -1 });
    expect(back.state.rounds.get(2)?.prevotes.get(h.fx.ids[0] as string)).toEqual([s.last]);
    // Its peers may have lost the votes that would schedule one: the timeout comes at once.
    expect(ofType(outputs, "scheduleTimeout")).toEqual([
      expect.objectContaining({ kind: "prevote", height: 1, round: 2 }),
    ]);
    expect(broadcasts(back.timeout("prevote"))).toEqual([
      expect.objectContaining({ type: "precommit", round: 2, valueId: null }),
    ]);
    const again = restarted(s).h;
    // Two more prevotes make 2f+1 with its own: the round goes on from there.
    expect(broadcasts(again.votes("prevote", [1, 2], null))).toEqual([
      expect.objectContaining({ type: "precommit", round: 2, valueId: null }),
    ]);
  });

  it("a proposer whose proposal was its last signature prevotes on it, and has a propose timeout again", () => {
    // Validator 1 proposes round 0 of height 1.
    const { h, saved } = running(1);
    h.start(1);
    h.input({ type: "proposalValue", height: 1, round: 0, value: A });
    const firstBroadcast = broadcasts(h.outputs)[0];
    expect(firstBroadcast).toMatchObject({ type: "proposal", value: A });
    const s = savedState(h.state, signedBy(h, firstBroadcast as ConsensusMessage));

    const { outputs } = restarted(s, 1);
    expect(ofType(outputs, "requestValue")).toEqual([]);
    expect(ofType(outputs, "scheduleTimeout")).toEqual([
      expect.objectContaining({ kind: "propose", height: 1, round: 0 }),
    ]);
    expect(broadcasts(outputs)).toEqual([
      expect.objectContaining({ type: "prevote", round: 0, valueId: A.id }),
    ]);
    expect(saved().last.message.type).toBe("prevote");
  });

  it("counts its earlier messages of the height and the valid value's proof again", () => {
    const { h } = running();
    h.start(1);
    h.proposal(A);
    const prevote = broadcasts(h.outputs).at(-1) as ConsensusMessage;
    const first = savedState(h.state, signedBy(h, prevote));
    h.votes("prevote", [1, 2], A.id);
    const precommit = broadcasts(h.outputs).at(-1) as ConsensusMessage;
    const s = savedState(h.state, signedBy(h, precommit), first);
    expect(s.earlier).toEqual([first.last]);
    expect(s.validProof.map((p) => p.message.voter).sort()).toEqual(
      [0, 1, 2].map((i) => h.fx.ids[i]).sort(),
    );

    const { h: back } = restarted(s);
    const round = back.state.rounds.get(0);
    expect([...(round?.prevotes.keys() ?? [])].sort()).toEqual(
      [0, 1, 2].map((i) => h.fx.ids[i]).sort(),
    );
    expect(round?.precommits.get(h.fx.ids[0] as string)).toEqual([s.last]);
    // A later height starts the list afresh.
    const next = savedState(h.state, signedBy(h, { ...prevote, height: 2 }), s);
    expect(next.earlier).toEqual([]);
  });

  it("takes over the messages buffered for the height, like start", () => {
    const { h, saved } = running();
    h.start(1);
    h.proposal(A);
    h.votes("prevote", [1, 2], A.id);
    const s = saved();
    const back = new Harness(fixture([1, 1, 1, 1]), 0);
    back.start(0);
    back.votes("precommit", [1, 2], A.id, { height: 1, round: 0 });
    back.proposal(A, { height: 1, round: 0 });
    // Its own precommit makes 2f+1 with the two buffered ones: it decides at once.
    const result = restoreHeight(back.state, s);
    expect(ofType(result.outputs, "decide")).toEqual([
      expect.objectContaining({ height: 1, round: 0, value: A }),
    ]);
  });

  const base = (): SavedState => {
    const { h, saved } = running();
    h.start(1);
    h.proposal(A);
    h.votes("prevote", [1, 2], A.id);
    return saved();
  };
  it.each<[string, (s: SavedState) => SavedState, RegExp]>([
    [
      "another chain",
      (s) => ({ ...s, last: { ...s.last, message: { ...s.last.message, chainId: "other" } } }),
      /chain other/,
    ],
    [
      "another signer",
      (s) => ({ ...s, last: { ...s.last, message: { ...s.last.message, voter: "x" } } }),
      /another node/,
    ],
    ["a lock after the round", (s) => ({ ...s, lockedRound: 1, validRound: 1 }), /locked round 1/],
    ["a lock round without a value", (s) => ({ ...s, lockedValue: null }), /disagree/],
    [
      "a valid round before the lock",
      (s) => ({ ...s, validRound: -1, validValue: null }),
      /before/,
    ],
  ])("refuses a saved state with %s", (_, change, reason) => {
    const h = new Harness(fixture([1, 1, 1, 1]), 0);
    expect(() => restoreHeight(h.state, change(base()))).toThrow(reason);
  });

  it("refuses to restore a height at or before the one the state is at", () => {
    const s = base();
    const h = new Harness(fixture([1, 1, 1, 1]), 0);
    h.start(2);
    const at = (state: ConsensusState) => () => restoreHeight(state, s);
    expect(at(h.state)).toThrow(ConsensusError);
    expect(at(h.state)).toThrow(/Cannot start height 1/);
  });
});
