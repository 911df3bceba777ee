import { describe, expect, it } from "vitest";
import { MAX_DELIVERY_CREDIT, PeerScores, SCORE_WEIGHTS } from "../../../src/p2p/peerScores";

const scores = () => new PeerScores({ gossipThreshold: -10, graylistThreshold: -40, maxPeers: 3 });

describe("PeerScores", () => {
  it("caps what first deliveries earn, so good behaviour cannot bank immunity", () => {
    const s = scores();
    for (let i = 0; i < 1000; i += 1) s.record("a", "first_delivery");
    expect(s.score("a")).toBe(MAX_DELIVERY_CREDIT);
    s.record("a", "invalid_message");
    expect(s.score("a")).toBe(MAX_DELIVERY_CREDIT + SCORE_WEIGHTS.invalid_message);
  });

  it("stops gossip below gossipThreshold and ignores a peer below graylistThreshold", () => {
    const s = scores();
    for (let i = 0; i < 5; i += 1) s.record("a", "broken_promise");
    expect(s.gossipsWith("a")).toBe(true);
    s.record("a", "broken_promise");
    expect(s.gossipsWith("a")).toBe(false);
    expect(s.graylisted("a")).toBe(false);
    s.record("a", "invalid_message");
    s.record("a", "invalid_message");
    expect(s.graylisted("a")).toBe(true);
    expect(s.gossipsWith("unknown")).toBe(true);
  });

  it("decays towards zero each heartbeat, and forgets a score that reached it", () => {
    const s = scores();
    s.record("a", "flooding");
    const before = s.score("a");
    s.decay();
    expect(s.score("a")).toBeGreaterThan(before);
    for (let i = 0; i < 1000; i += 1) s.decay();
    expect(s.score("a")).toBe(0);
  });

  it("keeps at most maxPeers, forgetting the one nearest zero", () => {
    const s = scores();
    s.record("bad", "invalid_message");
    s.record("worse", "invalid_message");
    s.record("worse", "invalid_message");
    s.record("meh", "first_delivery");
    s.record("new", "flooding");
    expect(s.score("meh")).toBe(0);
    expect(s.score("bad")).toBeLessThan(0);
    expect(s.score("worse")).toBeLessThan(0);
  });
});
