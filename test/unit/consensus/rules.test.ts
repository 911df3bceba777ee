import { describe, expect, it } from "vitest";
import { verifyCertificate } from "../../../src/consensus";
import { broadcasts, fixture, Harness, ofType, value } from "./fixtures";

// Four equal validators: quorum needs 3, f+1 needs 2. At height 1 the proposer of round r
// is validator (1 + r) mod 4; the node under test is validator 0 unless said otherwise.
const equal = () => fixture([1, 1, 1, 1]);
const A = value("a");
const B = value("b");

function started(self = 0, powers: number[] = [1, 1, 1, 1]): Harness {
  const h = new Harness(fixture(powers), self);
  h.start(1);
  return h;
}

describe("start and proposing", () => {
  it("a non-proposer schedules the propose timeout and waits", () => {
    const h = new Harness(equal(), 0);
    const out = h.start(1);
    expect(out).toEqual([
      { type: "scheduleTimeout", kind: "propose", height: 1, round: 0, durationMs: 300 },
    ]);
    expect(h.state).toMatchObject({ height: 1, round: 0, step: "propose" });
  });

  it("the proposer asks the engine for a value, then broadcasts its proposal", () => {
    const h = new Harness(equal(), 1);
    expect(ofType(h.start(1), "requestValue")).toEqual([
      { type: "requestValue", height: 1, round: 0 },
    ]);
    const out = h.input({ type: "proposalValue", height: 1, round: 0, value: A });
    expect(broadcasts(out)[0]).toMatchObject({
      type: "proposal",
      value: A,
      validRound: -1,
      round: 0,
    });
    // its own proposal came back: it prevotes for it
    expect(broadcasts(out)[1]).toMatchObject({ type: "prevote", valueId: A.id });
  });

  it("a late or unrequested proposalValue is ignored", () => {
    const h = new Harness(equal(), 1);
    h.start(1);
    expect(h.input({ type: "proposalValue", height: 1, round: 3, value: A })).toEqual([]);
    const other = new Harness(equal(), 0);
    other.start(1);
    expect(other.input({ type: "proposalValue", height: 1, round: 0, value: A })).toEqual([]);
  });

  it("refuses a proposal value whose id is empty", () => {
    const h = new Harness(equal(), 1);
    h.start(1);
    expect(() =>
      h.input({ type: "proposalValue", height: 1, round: 0, value: { id: "", block: 1 } }),
    ).toThrow(/Cannot propose/);
  });

  it("start must move forward", () => {
    const h = started();
    expect(() => h.start(1)).toThrow(expect.objectContaining({ code: "CONSENSUS_INPUT_INVALID" }));
    expect(() => h.start(0)).toThrow(/Cannot start height 0/);
    expect(() => h.start(2.5)).toThrow(/Cannot start/);
    expect(h.start(5).length).toBeGreaterThan(0);
  });

  it("a follower tallies and decides but never broadcasts", () => {
    const h = new Harness(equal(), -1);
    h.start(1);
    h.proposal(A);
    h.votes("prevote", [0, 1, 2], A.id);
    const out = h.votes("precommit", [0, 1, 2], A.id);
    expect(ofType(h.outputs, "broadcast")).toEqual([]);
    expect(ofType(out, "decide")[0]?.value).toEqual(A);
  });
});

describe("prevote on a proposal (lines 22 and 28)", () => {
  it.each([
    { name: "valid, unlocked", valid: true, expected: A.id },
    { name: "invalid block", valid: false, expected: null },
  ])("$name: prevotes $expected", ({ valid, expected }) => {
    const h = started();
    const out = h.proposal(A, { valid });
    expect(broadcasts(out)[0]).toEqual({
      type: "prevote",
      chainId: "test-chain",
      height: 1,
      round: 0,
      valueId: expected,
      voter: h.fx.ids[0],
    });
    expect(h.state.step).toBe("prevote");
  });

  it("ignores a proposal signed by a validator that is not the round's proposer", () => {
    const h = started();
    expect(h.proposal(A, { from: 2 })).toEqual([]);
    expect(h.state.step).toBe("propose");
  });

  it("waits on a proposal with a validRound until 2f+1 prevotes of that round are seen", () => {
    const h = started();
    h.votes("precommit", [2, 3], null, { round: 1 }); // f+1 in round 1: skip there
    expect(h.state.round).toBe(1);
    expect(broadcasts(h.proposal(A, { validRound: 0 }))).toEqual([]);
    // 2f+1 prevotes for A in round 0 arrive late
    const out = h.votes("prevote", [1, 2, 3], A.id, { round: 0 });
    expect(broadcasts(out)).toEqual([
      expect.objectContaining({ type: "prevote", round: 1, valueId: A.id }),
    ]);
  });
});

describe("locks (lines 36, 22, 28)", () => {
  /** Node 0 locks A in round 0 and moves to round 1 without a decision. */
  function lockedOnA(): Harness {
    const h = started();
    h.proposal(A);
    const out = h.votes("prevote", [1, 2], A.id);
    expect(broadcasts(out)).toEqual([
      expect.objectContaining({ type: "precommit", valueId: A.id }),
    ]);
    expect(h.state).toMatchObject({ lockedRound: 0, lockedValue: A, validRound: 0, validValue: A });
    h.votes("precommit", [1, 2], null);
    h.timeout("precommit");
    expect(h.state.round).toBe(1);
    return h;
  }

  it("a locked node prevotes nil on a new value and for its locked value", () => {
    const h = lockedOnA();
    expect(broadcasts(h.proposal(B))[0]).toMatchObject({ type: "prevote", valueId: null });
    const again = lockedOnA();
    expect(broadcasts(again.proposal(A))[0]).toMatchObject({ type: "prevote", valueId: A.id });
  });

  it("unlocks on a proposal whose validRound is at or after the lock round", () => {
    const h = lockedOnA();
    // round 1: B gathers 2f+1 prevotes elsewhere, node 0 prevotes nil (locked on A)
    h.proposal(B);
    h.votes("prevote", [1, 2, 3], B.id);
    h.timeout("prevote");
    h.votes("precommit", [1, 2], null);
    h.timeout("precommit");
    expect(h.state.round).toBe(2);
    // round 2's proposer re-proposes B with validRound 1 >= lockedRound 0: prevote B
    expect(broadcasts(h.proposal(B, { validRound: 1 }))[0]).toMatchObject({ valueId: B.id });
  });

  it("stays locked against a proposal whose validRound is before the lock", () => {
    const h = lockedOnA();
    h.timeout("propose");
    h.votes("prevote", [1, 2], null);
    h.timeout("prevote");
    h.votes("precommit", [1, 2], null);
    h.timeout("precommit");
    // round 2: lock is at 0; a proposal for B claiming validRound 0 needs B prevoted in round 0
    h.votes("prevote", [3], B.id, { round: 0 });
    expect(broadcasts(h.proposal(B, { validRound: 0 }))).toEqual([]);
  });

  it("in step precommit, late 2f+1 prevotes update the valid value but not the lock", () => {
    const h = started();
    h.timeout("propose"); // prevote nil before the proposal arrived
    h.vote("prevote", 1, A.id);
    h.vote("prevote", 2, null);
    h.timeout("prevote");
    expect(h.state.step).toBe("precommit");
    h.proposal(A);
    h.vote("prevote", 3, A.id);
    expect(h.state.validValue).toBeNull(); // only 1 and 3 prevoted A
    const g = started();
    g.timeout("propose");
    g.votes("prevote", [1, 2], A.id);
    g.timeout("prevote");
    g.proposal(A);
    g.vote("prevote", 3, A.id);
    expect(g.state).toMatchObject({
      validValue: A,
      validRound: 0,
      lockedRound: -1,
      step: "precommit",
    });
  });

  it("carries the valid value into its own later proposal, without asking the engine", () => {
    // node 2 proposes round 1 at height 1
    const h = started(2);
    h.proposal(A);
    h.votes("prevote", [0, 1], A.id);
    expect(h.state.validValue).toEqual(A);
    h.votes("precommit", [0, 1], null);
    const out = h.timeout("precommit");
    expect(ofType(out, "requestValue")).toEqual([]);
    expect(broadcasts(out)[0]).toMatchObject({
      type: "proposal",
      round: 1,
      value: A,
      validRound: 0,
    });
  });
});

describe("nil precommits and timeouts (lines 34, 44, 47, 57-65)", () => {
  it("2f+1 nil prevotes precommit nil at once", () => {
    const h = started();
    h.timeout("propose");
    const out = h.votes("prevote", [1, 2], null);
    expect(broadcasts(out)).toEqual([
      expect.objectContaining({ type: "precommit", valueId: null }),
    ]);
  });

  it("schedules the prevote timeout once, on 2f+1 prevotes of any kind", () => {
    const h = started();
    h.timeout("propose");
    h.vote("prevote", 1, A.id);
    expect(ofType(h.outputs, "scheduleTimeout")).toHaveLength(1);
    h.vote("prevote", 2, B.id);
    h.vote("prevote", 3, B.id);
    const scheduled = ofType(h.outputs, "scheduleTimeout").filter((o) => o.kind === "prevote");
    expect(scheduled).toEqual([
      { type: "scheduleTimeout", kind: "prevote", height: 1, round: 0, durationMs: 100 },
    ]);
  });

  it("schedules the precommit timeout once, in any step, on 2f+1 precommits of any kind", () => {
    const h = started();
    h.vote("precommit", 1, A.id);
    h.vote("precommit", 2, null);
    h.vote("precommit", 3, B.id);
    h.vote("precommit", 0, B.id);
    const scheduled = ofType(h.outputs, "scheduleTimeout").filter((o) => o.kind === "precommit");
    expect(scheduled).toHaveLength(1);
    expect(h.state.step).toBe("propose");
  });

  it("timeouts grow with the round: base + round × delta", () => {
    const h = started();
    for (let round = 0; round < 3; round += 1) {
      h.timeout("propose");
      h.votes("prevote", [1, 2, 3], null);
      h.timeout("prevote");
      h.votes("precommit", [1, 2, 3], null, { round });
      h.timeout("precommit");
    }
    const durations = (kind: string) =>
      ofType(h.outputs, "scheduleTimeout")
        .filter((o) => o.kind === kind)
        .map((o) => o.durationMs);
    expect(durations("propose")).toEqual([300, 350, 400, 450]);
    expect(durations("prevote")).toEqual([100, 120, 140]);
    expect(durations("precommit")).toEqual([100, 120, 140]);
    expect(h.state.round).toBe(3);
  });

  it.each([
    { kind: "propose", at: { round: 1 } },
    { kind: "propose", at: { height: 2 } },
    { kind: "prevote", at: {} },
    { kind: "precommit", at: { round: 2 } },
  ] as const)("ignores a $kind timeout that is stale or not due ($at)", ({ kind, at }) => {
    const h = started();
    const before = h.state;
    expect(h.timeout(kind, at)).toEqual([]);
    expect(h.state).toEqual(before);
  });

  it("a precommit timeout is ignored once decided and before any start", () => {
    const idle = new Harness(equal(), 0);
    expect(idle.timeout("precommit")).toEqual([]);
    const h = started();
    h.proposal(A);
    h.votes("prevote", [1, 2], A.id);
    h.votes("precommit", [1, 2], A.id);
    expect(h.state.step).toBe("decided");
    expect(h.timeout("precommit")).toEqual([]);
  });
});

describe("decision (line 49)", () => {
  it("decides on a proposal and 2f+1 precommits, with a certificate that verifies", () => {
    const h = started();
    h.proposal(A);
    h.votes("prevote", [1, 2], A.id);
    const out = h.votes("precommit", [1, 3], A.id);
    const [decision] = ofType(out, "decide");
    expect(decision).toMatchObject({ height: 1, round: 0, value: A });
    expect(decision?.certificate.precommits).toHaveLength(3);
    const verdict = verifyCertificate(decision?.certificate as never, {
      chain: h.fx.chain,
      height: 1,
      valueId: A.id,
    });
    expect(verdict).toEqual({ ok: true, power: 3 });
    expect(h.state).toMatchObject({ step: "decided", decision: { round: 0, value: A } });
  });

  it("decides a value committed in an earlier round even while in a later one", () => {
    const g = started();
    g.timeout("propose");
    g.votes("precommit", [1, 2], null, { round: 1 });
    g.votes("precommit", [3], null, { round: 1 });
    expect(g.state.round).toBe(1); // skipped by f+1
    g.proposal(B, { round: 0 });
    const out = g.votes("precommit", [1, 2, 3], B.id, { round: 0 });
    expect(ofType(out, "decide")[0]).toMatchObject({ round: 0, value: B });
  });

  it("does not decide a value the engine judged invalid", () => {
    const h = started();
    h.proposal(A, { valid: false });
    h.votes("precommit", [1, 2, 3], A.id);
    expect(h.state.step).not.toBe("decided");
  });

  it("weighs votes by power: one heavy validator and one light one make a quorum", () => {
    // powers 1, 5, 1, 1 (total 8, quorum > 16/3 so 6): node 1 + any other suffices
    const h = started(0, [1, 5, 1, 1]);
    h.proposal(A);
    h.vote("prevote", 1, A.id);
    expect(h.state.step).toBe("precommit"); // own 1 + 5 = 6
    const out = h.vote("precommit", 1, A.id);
    expect(ofType(out, "decide")).toHaveLength(1);
  });
});

describe("round skip (line 55)", () => {
  it.each([
    { name: "f+1 validators in a later round", powers: [1, 1, 1, 1], from: [1, 2], skips: true },
    { name: "only f validators", powers: [1, 1, 1, 1], from: [1], skips: false },
    {
      name: "one validator with over a third of the power",
      powers: [1, 4, 1, 1],
      from: [1],
      skips: true,
    },
    { name: "light validators under a third", powers: [4, 1, 1, 3], from: [1, 2], skips: false },
  ])("$name: skips = $skips", ({ powers, from, skips }) => {
    const h = started(0, powers);
    for (const i of from) h.vote(i % 2 === 0 ? "prevote" : "precommit", i, null, { round: 4 });
    expect(h.state.round).toBe(skips ? 4 : 0);
    if (skips) expect(h.state.step).toBe("propose");
  });

  it("counts a proposer's proposal as its message in the later round", () => {
    const g = started();
    g.proposal(A, { round: 2 }); // from validator 3, the proposer of (1, 2)
    g.vote("prevote", 1, null, { round: 2 });
    expect(g.state.round).toBe(2);
    expect(broadcasts(g.outputs).at(-1)).toMatchObject({
      type: "prevote",
      round: 2,
      valueId: A.id,
    });
  });
});
