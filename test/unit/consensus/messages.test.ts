import { describe, expect, it } from "vitest";
import {
  createConsensusState,
  MAX_PROPOSALS_PER_ROUND,
  MAX_ROUND_AHEAD,
  MAX_VOTES_PER_VALIDATOR,
  step,
} from "../../../src/consensus";
import {
  broadcasts,
  fixture,
  Harness,
  identity,
  ofType,
  sign,
  testTimeouts,
  value,
} from "./fixtures";

const A = value("a");
const B = value("b");

function started(): Harness {
  const h = new Harness(fixture([1, 1, 1, 1]), 0);
  h.start(1);
  return h;
}

describe("equivocation", () => {
  it("reports a validator's second, different vote once, and counts it at most once per tally", () => {
    const h = started();
    h.timeout("propose"); // own nil prevote
    h.vote("prevote", 1, A.id);
    const out = h.vote("prevote", 1, null);
    const [evidence] = ofType(out, "evidence");
    expect(evidence?.evidence).toMatchObject({
      chainId: "test-chain",
      height: 1,
      round: 0,
      type: "prevote",
      validator: h.fx.ids[1],
      first: { message: { valueId: A.id } },
      second: { message: { valueId: null } },
    });
    // "2f+1 of anything" sees two validators, not three votes: no prevote timeout yet
    expect(ofType(h.outputs, "scheduleTimeout").map((o) => o.kind)).toEqual(["propose"]);
    expect(h.state.step).toBe("prevote");
    // a third conflicting vote is kept but not reported again
    expect(ofType(h.vote("prevote", 1, B.id), "evidence")).toEqual([]);
    // nil: own + 1's signed nil + 2 = 2f+1, as Algorithm 1 counts received messages
    const nil = h.vote("prevote", 2, null);
    expect(broadcasts(nil)).toEqual([
      expect.objectContaining({ type: "precommit", valueId: null }),
    ]);
  });

  it("two honest nodes that saw an equivocator's votes in different orders reach the same tally", () => {
    const first = started();
    const second = started();
    const toA = first.signedVote("prevote", 3, A.id);
    const toNil = first.signedVote("prevote", 3, null);
    first.proposal(A);
    second.proposal(A);
    first.input({ type: "message", signed: toA });
    second.input({ type: "message", signed: toNil });
    first.input({ type: "message", signed: toNil });
    second.input({ type: "message", signed: toA });
    for (const h of [first, second]) h.vote("prevote", 1, A.id);
    expect(first.state.lockedValue).toEqual(A);
    expect(second.state.lockedValue).toEqual(A);
  });

  it("keeps a bounded number of an equivocator's votes", () => {
    const h = started();
    for (let i = 0; i < MAX_VOTES_PER_VALIDATOR + 3; i += 1) h.vote("precommit", 1, `v${i}`);
    expect(h.state.rounds.get(0)?.precommits.get(h.fx.ids[1] as string)).toHaveLength(
      MAX_VOTES_PER_VALIDATOR,
    );
  });

  it("drops an identical copy without reporting it", () => {
    const h = started();
    const signed = h.signedVote("prevote", 1, A.id);
    h.input({ type: "message", signed });
    expect(h.input({ type: "message", signed })).toEqual([]);
    expect(h.state.rounds.get(0)?.prevotes.size).toBe(1);
  });

  it("reports two proposals for one round, prevotes on the first, and can decide on the second", () => {
    const h = started();
    h.proposal(A);
    const out = h.proposal(B);
    expect(ofType(out, "evidence")[0]?.evidence).toMatchObject({
      type: "proposal",
      first: { message: { value: A } },
      second: { message: { value: B } },
    });
    expect(broadcasts(h.outputs)[0]).toMatchObject({ type: "prevote", valueId: A.id });
    expect(h.proposal(B)).toEqual([]); // a copy of the second
    // the rest of the network saw B first and committed it
    const decided = h.votes("precommit", [1, 2, 3], B.id);
    expect(ofType(decided, "decide")[0]?.value).toEqual(B);
  });

  it("keeps a bounded number of conflicting proposals", () => {
    const h = started();
    for (let i = 0; i < MAX_PROPOSALS_PER_ROUND + 3; i += 1) h.proposal(value(`p${i}`));
    expect(h.state.rounds.get(0)?.proposals).toHaveLength(MAX_PROPOSALS_PER_ROUND);
    expect(ofType(h.outputs, "evidence")).toHaveLength(1);
  });

  it("a proposal with the same value but another validRound is an equivocation", () => {
    const h = started();
    h.votes("precommit", [2, 3], null, { round: 2 }); // skip to round 2
    h.proposal(A, { validRound: 1 });
    expect(ofType(h.proposal(A, { validRound: 0 }), "evidence")).toHaveLength(1);
  });
});

describe("message filtering", () => {
  it("ignores messages of another chain, other heights, and unknown validators", () => {
    const h = started();
    const before = h.state;
    expect(h.vote("prevote", 1, A.id, { chainId: "other-chain" })).toEqual([]);
    expect(h.vote("prevote", 1, A.id, { height: 0 })).toEqual([]);
    expect(h.vote("prevote", 1, A.id, { height: 3 })).toEqual([]);
    expect(h.vote("prevote", 1, A.id, { round: MAX_ROUND_AHEAD + 1 })).toEqual([]);
    const stranger = identity(9);
    const vote = { ...h.signedVote("prevote", 1, A.id).message, voter: stranger.id };
    expect(h.input({ type: "message", signed: sign(vote, stranger) })).toEqual([]);
    expect(h.state.rounds).toEqual(before.rounds);
  });

  it("ignores everything before the first start", () => {
    const h = new Harness(fixture([1, 1, 1, 1]), 0);
    expect(h.vote("prevote", 1, A.id, { height: 1, round: 0 })).toEqual([]);
    expect(h.state.rounds.size).toBe(0);
  });

  it("ignores a malformed message even if a careless engine passes it", () => {
    const h = started();
    const bad = h.signedVote("prevote", 1, A.id);
    h.input({ type: "message", signed: { ...bad, message: { ...bad.message, round: -1 } } });
    expect(h.state.rounds.size).toBe(0);
  });

  it("buffers the next height's messages and replays them at its start", () => {
    const h = started();
    h.proposal(A);
    h.votes("prevote", [1, 2], A.id);
    h.votes("precommit", [1, 2], A.id);
    expect(h.state.step).toBe("decided");
    // height 2 traffic arrives before the engine has executed block 1
    h.proposal(B, { height: 2, round: 0 }); // proposer of (2, 0) is validator 2
    h.votes("prevote", [1, 2], B.id, { height: 2, round: 0 });
    h.vote("prevote", 3, B.id, { height: 1, round: 0 }); // late vote for the decided height
    h.vote("prevote", 3, B.id, { height: 2, round: MAX_ROUND_AHEAD + 1 });
    expect(h.state.nextRounds.get(0)?.prevotes.size).toBe(2);
    const out = h.start(2);
    // prevote for B, then own vote completes the quorum: lock and precommit
    expect(
      broadcasts(out).map((m) => [m.type, m.type === "proposal" ? m.value.id : m.valueId]),
    ).toEqual([
      ["prevote", B.id],
      ["precommit", B.id],
    ]);
    expect(h.state.nextRounds.size).toBe(0);
  });

  it("starting a height further ahead (catch-up) drops what was buffered", () => {
    const h = started();
    h.proposal(B, { height: 2, round: 0 });
    h.start(3);
    expect(h.state.rounds.size).toBe(0);
    expect(h.state.height).toBe(3);
  });

  it("reports equivocation in buffered messages, and forgets old reports at a new height", () => {
    const h = started();
    h.vote("prevote", 1, A.id, { height: 2, round: 0 });
    const out = h.vote("prevote", 1, B.id, { height: 2, round: 0 });
    expect(ofType(out, "evidence")).toHaveLength(1);
    h.vote("prevote", 2, A.id);
    h.vote("prevote", 2, B.id);
    expect(h.state.reported.size).toBe(2);
    h.start(2);
    expect([...h.state.reported]).toEqual([`2/0/prevote/${h.fx.ids[1]}`]);
  });
});

describe("purity", () => {
  it("step() never modifies the state it is given and repeats exactly", () => {
    const h = started();
    h.proposal(A);
    h.votes("prevote", [1, 2], A.id);
    const before = h.state;
    const snapshot = structuredClone(before);
    const input = { type: "message" as const, signed: h.signedVote("precommit", 3, A.id) };
    const first = step(before, input);
    const second = step(before, input);
    expect(structuredClone(before)).toEqual(snapshot);
    expect(second).toEqual(first);
  });

  it("createConsensusState() refuses an empty chain id or a bad timeout", () => {
    const { chain, ids } = fixture([1, 1, 1, 1]);
    const base = { ...chain, self: ids[0] as string, timeouts: testTimeouts };
    expect(() => createConsensusState({ ...base, chainId: "" })).toThrow(
      expect.objectContaining({
        code: "CONSENSUS_CONFIG_INVALID",
        type: { code: "CONSENSUS_CONFIG_INVALID", field: "chainId" },
      }),
    );
    expect(() =>
      createConsensusState({
        ...base,
        timeouts: { ...testTimeouts, prevote: { baseMs: 0, deltaMs: 1 } },
      }),
    ).toThrow(/invalid timeouts.prevote/);
  });
});
