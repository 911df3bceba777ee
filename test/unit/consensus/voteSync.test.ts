import { describe, expect, it } from "vitest";
import {
  addPeer,
  createVoteSync,
  heldMessage,
  messageKey,
  needsCommit,
  noteHeld,
  onFrame,
  ownView,
  planFrame,
  type Signed,
  type SyncFrame,
} from "../../../src/consensus";
import { fixture, Harness } from "./fixtures";

const OPTIONS = { resendMs: 100, statusRefreshMs: 1000, maxMessages: 64 };
const fx = fixture([1, 1, 1, 1]);

/** A follower holding node 1's and node 2's prevotes for nil at height 1, round 0. */
function holder(): Harness {
  const h = new Harness(fx, -1);
  h.start(1);
  h.vote("prevote", 1, null);
  h.vote("prevote", 2, null);
  return h;
}

function statusOf(h: Harness): SyncFrame {
  return { status: ownView(h.state).status };
}

const keysOf = (frame: SyncFrame | undefined) => (frame?.messages ?? []).map(messageKey);

describe("voteSync", () => {
  it("planFrame() sends a peer only our status until its own status says where it is", () => {
    const a = holder();
    const sync = createVoteSync();
    addPeer(sync, "b");
    const first = planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 0 });
    expect(first?.status?.height).toBe(1);
    expect(first?.messages).toBeUndefined();
    // nothing changed: nothing to say
    expect(planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 1 })).toBeUndefined();
  });

  it("planFrame() sends a peer at our height exactly the messages its bits lack, once", () => {
    const a = holder();
    const b = new Harness(fx, -1);
    b.start(1);
    b.vote("prevote", 2, null);
    const sync = createVoteSync();
    addPeer(sync, "b");
    onFrame(sync, "b", statusOf(b), { now: 0, resendMs: 100 });
    const frame = planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 0 });
    expect(keysOf(frame)).toEqual([messageKey(a.signedVote("prevote", 1, null))]);
    // sent: not again before a newer status shows it missing
    expect(planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 10 })).toBeUndefined();
  });

  it("a message lost on the way goes again once a later status still lacks it", () => {
    const a = holder();
    const b = new Harness(fx, -1);
    b.start(1);
    const sync = createVoteSync();
    addPeer(sync, "b");
    onFrame(sync, "b", statusOf(b), { now: 0, resendMs: 100 });
    expect(keysOf(planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 0 }))).toHaveLength(2);
    // a status sent before our frame could arrive does not trigger a resend...
    onFrame(sync, "b", statusOf(b), { now: 50, resendMs: 100 });
    expect(
      planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 50 })?.messages,
    ).toBeUndefined();
    // ...one sent well after it does
    onFrame(sync, "b", statusOf(b), { now: 200, resendMs: 100 });
    expect(keysOf(planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 200 }))).toHaveLength(
      2,
    );
  });

  it("messages received from a peer, or announced by it, are never sent back to it", () => {
    const a = holder();
    const sync = createVoteSync();
    addPeer(sync, "b");
    addPeer(sync, "c");
    const empty = new Harness(fx, -1);
    empty.start(1);
    onFrame(sync, "b", statusOf(empty), { now: 0, resendMs: 100 });
    onFrame(sync, "c", statusOf(empty), { now: 0, resendMs: 100 });
    const v1 = a.signedVote("prevote", 1, null);
    const v2 = a.signedVote("prevote", 2, null);
    onFrame(sync, "b", { messages: [v1] }, { now: 1, resendMs: 100 });
    onFrame(sync, "c", { has: [messageKey(v2)] }, { now: 1, resendMs: 100 });
    expect(keysOf(planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 2 }))).toEqual([
      messageKey(v2),
    ]);
    expect(keysOf(planFrame(sync, "c", ownView(a.state), { ...OPTIONS, now: 2 }))).toEqual([
      messageKey(v1),
    ]);
  });

  it("noteHeld() announces a new message to every other peer, not to its sender", () => {
    const a = holder();
    const sync = createVoteSync();
    addPeer(sync, "b");
    addPeer(sync, "c");
    // both peers at our height and holding everything we hold (their bits say so)
    onFrame(sync, "b", statusOf(a), { now: 0, resendMs: 100 });
    onFrame(sync, "c", statusOf(a), { now: 0, resendMs: 100 });
    const v3 = a.signedVote("prevote", 3, null);
    a.input({ type: "message", signed: v3 });
    onFrame(sync, "b", { messages: [v3] }, { now: 1, resendMs: 100 });
    noteHeld(sync, heldMessage(v3, fx.chain.validators), "b", 1);
    const toB = planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 2 });
    const toC = planFrame(sync, "c", ownView(a.state), { ...OPTIONS, now: 2 });
    expect(toB?.has).toBeUndefined();
    expect(toB?.messages).toBeUndefined();
    // c lacks it: the message itself goes, which says more than an announcement
    expect(keysOf(toC)).toEqual([messageKey(v3)]);
    expect(toC?.has).toBeUndefined();
  });

  it("a status from a new height forgets what the peer held at the old one", () => {
    const a = holder();
    const sync = createVoteSync();
    const view = addPeer(sync, "b");
    onFrame(sync, "b", statusOf(a), { now: 0, resendMs: 100 });
    onFrame(sync, "b", { has: ["1/0/v/x/"] }, { now: 0, resendMs: 100 });
    expect(view.has.size).toBe(1);
    const next = new Harness(fx, -1);
    next.start(2);
    onFrame(sync, "b", statusOf(next), { now: 1, resendMs: 100 });
    expect(view.height).toBe(2);
    expect(view.has.size).toBe(0);
    // a peer ahead of us gets nothing of our height
    expect(
      planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 2 })?.messages,
    ).toBeUndefined();
  });

  it("needsCommit() names a peer behind a decided height, once per resend interval", () => {
    const sync = createVoteSync();
    addPeer(sync, "b");
    expect(needsCommit(sync, "b", 3, { now: 0, resendMs: 100 })).toBeUndefined();
    const behind = new Harness(fx, -1);
    behind.start(1);
    onFrame(sync, "b", statusOf(behind), { now: 0, resendMs: 100 });
    expect(needsCommit(sync, "b", 3, { now: 0, resendMs: 100 })).toBe(1);
    expect(needsCommit(sync, "b", 3, { now: 50, resendMs: 100 })).toBeUndefined();
    expect(needsCommit(sync, "b", 3, { now: 150, resendMs: 100 })).toBe(1);
  });

  it("bits are per value: an equivocator's other vote goes to a peer holding one of its votes", () => {
    const a = holder();
    const second = a.signedVote("prevote", 1, "id-x");
    a.input({ type: "message", signed: second });
    const b = new Harness(fx, -1);
    b.start(1);
    b.vote("prevote", 1, null);
    b.vote("prevote", 2, null);
    const sync = createVoteSync();
    addPeer(sync, "b");
    onFrame(sync, "b", statusOf(b), { now: 0, resendMs: 100 });
    const sent = keysOf(planFrame(sync, "b", ownView(a.state), { ...OPTIONS, now: 0 }));
    // b holds 1's nil prevote and 2's: only 1's prevote for id-x is news to it
    expect(sent).toEqual([messageKey(second as Signed)]);
  });

  it("onFrame() ignores a malformed status and announcements", () => {
    const sync = createVoteSync();
    const view = addPeer(sync, "b");
    onFrame(
      sync,
      "b",
      { status: { height: "x" } as never, has: [7 as never] },
      {
        now: 0,
        resendMs: 100,
      },
    );
    expect(view.height).toBe(-1);
    expect(view.has.size).toBe(0);
  });
});
