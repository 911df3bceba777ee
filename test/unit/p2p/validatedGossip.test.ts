import { describe, expect, it } from "vitest";
import {
  CLOSE_REASONS,
  DEFAULT_VALIDATION_TIMEOUT_MS,
  type GossipFrame,
  generateIdentity,
  gossipId,
  P2PNode,
  type P2PNodeOptions,
  seededRng,
} from "../../../src/p2p";
import { NETWORK } from "./helpers";
import { MemoryHarness } from "./memoryHarness";
import type { RawPeer } from "./rawPeer";

const TOPIC = "checked";

/**
 * A line a — b — c where b validates TOPIC: what b relays to c shows what the verdict did.
 * a is the publisher; c never validates anything.
 */
async function line(options: Partial<P2PNodeOptions> = {}) {
  const h = new MemoryHarness();
  const a = h.node("a");
  const b = h.node("b", { validatedTopics: [TOPIC], peers: [{ address: "a:7000" }], ...options });
  const c = h.node("c", { peers: [{ address: "b:7000" }] });
  for (const n of [a, b, c]) await n.node.start();
  h.until(() => b.node.peers().length === 2 && c.node.peers().length === 1, "connect");
  const stop = async () => {
    for (const n of [a, b, c]) await n.node.stop();
  };
  return { h, a, b, c, stop };
}

function frame(peer: RawPeer, seq: number, body: unknown = seq): GossipFrame {
  const origin = peer.identity.id;
  return {
    type: "gossip",
    id: gossipId(origin, seq, TOPIC),
    origin,
    seq,
    topic: TOPIC,
    hops: 1,
    body,
  };
}

function idOf(f: GossipFrame): string {
  return Buffer.from(f.id).toString("hex");
}

describe("gossip on a validated topic", () => {
  it("is delivered at once but held from other peers until the verdict", async () => {
    const { h, a, b, c, stop } = await line();
    const id = a.node.publish(TOPIC, "release");
    h.advance(1_000);
    expect(b.seen.gossip.map((g) => g.meta.id)).toEqual([id]);
    expect(c.seen.gossip).toEqual([]);
    expect(b.node.stats().validation.pending).toBe(1);
    // Other topics are not held.
    a.node.publish("free", "x");
    h.advance(1_000);
    expect(c.seen.gossip.map((g) => g.topic)).toEqual(["free"]);
    await stop();
  });

  it("on accept is relayed, one hop further, and a second verdict changes nothing", async () => {
    const { h, a, b, c, stop } = await line();
    const id = a.node.publish(TOPIC, "release");
    h.until(() => b.seen.gossip.length === 1, "delivery to b");
    expect(b.node.reportValidationResult(id, "accept")).toBe(true);
    h.until(() => c.seen.gossip.length === 1, "relay to c");
    expect(c.seen.gossip[0]).toMatchObject({
      topic: TOPIC,
      body: "release",
      meta: { id, hops: 2, from: b.identity.id },
    });
    expect(b.node.reportValidationResult(id, "accept")).toBe(false);
    expect(b.node.stats().validation).toMatchObject({ pending: 0, accepted: 1 });
    h.advance(1_000);
    expect(c.seen.gossip).toHaveLength(1);
    await stop();
  });

  it("on reject is dropped and the peer that sent it is closed with invalid_gossip", async () => {
    const { h, a, b, c, stop } = await line();
    const id = a.node.publish(TOPIC, "forged");
    h.until(() => b.seen.gossip.length === 1, "delivery to b");
    expect(b.node.reportValidationResult(id, "reject")).toBe(true);
    h.until(() => b.seen.rejected.length === 1, "the sender closed");
    expect(b.seen.rejected[0]).toMatchObject({
      peer: a.identity.id,
      code: CLOSE_REASONS.invalid_gossip.code,
    });
    expect(b.seen.rejected[0]?.reason).toMatch(/gossip failed validation: checked/);
    expect(b.node.stats().rejected.invalid_gossip).toBe(1);
    expect(b.node.stats().validation).toMatchObject({ pending: 0, rejected: 1 });
    // c's link to b is untouched.
    expect(c.node.peers().map((p) => p.id)).toEqual([b.identity.id]);
    h.advance(5_000);
    expect(c.seen.gossip).toEqual([]);
    await stop();
  });

  it("on ignore is dropped and nobody is blamed", async () => {
    const { h, a, b, c, stop } = await line();
    const id = a.node.publish(TOPIC, "not for us");
    h.until(() => b.seen.gossip.length === 1, "delivery to b");
    expect(b.node.reportValidationResult(id, "ignore")).toBe(true);
    h.advance(5_000);
    expect(c.seen.gossip).toEqual([]);
    expect(b.seen.rejected).toEqual([]);
    expect(b.node.peers().map((p) => p.id)).toContain(a.identity.id);
    expect(b.node.stats().validation).toMatchObject({ pending: 0, ignored: 1 });
    await stop();
  });

  it("without a verdict within the timeout is dropped, never relayed, and a late verdict is refused", async () => {
    const { h, a, b, c, stop } = await line({ validationTimeoutMs: 2_000 });
    const id = a.node.publish(TOPIC, "slow");
    h.until(() => b.seen.gossip.length === 1, "delivery to b");
    h.advance(1_900);
    expect(b.node.stats().validation.pending).toBe(1);
    h.advance(200);
    expect(b.node.stats().validation).toMatchObject({ pending: 0, timedOut: 1 });
    expect(b.node.reportValidationResult(id, "accept")).toBe(false);
    h.advance(5_000);
    expect(c.seen.gossip).toEqual([]);
    expect(b.seen.rejected).toEqual([]);
    await stop();
  });

  it("uses a default timeout when none is configured", async () => {
    const { h, a, b, stop } = await line();
    a.node.publish(TOPIC, "slow");
    h.until(() => b.seen.gossip.length === 1, "delivery to b");
    h.advance(DEFAULT_VALIDATION_TIMEOUT_MS);
    expect(b.node.stats().validation).toMatchObject({ pending: 0, timedOut: 1 });
    await stop();
  });

  it("holds at most maxPendingValidations; one more is dropped unseen, so a later copy passes", async () => {
    const { h, b, c, stop } = await line({ maxPendingValidations: 2 });
    const peer = h.rawPeer(b, "x");
    const frames = [1, 2, 3].map((seq) => frame(peer, seq));
    for (const f of frames) peer.send(f);
    h.advance(1_000);
    expect(b.seen.gossip.map((g) => g.body)).toEqual([1, 2]);
    expect(b.node.stats().validation).toMatchObject({ pending: 2, overflow: 1 });
    expect(b.node.reportValidationResult(idOf(frames[0] as GossipFrame), "accept")).toBe(true);
    peer.send(frames[2] as GossipFrame);
    h.advance(1_000);
    expect(b.seen.gossip.map((g) => g.body)).toEqual([1, 2, 3]);
    expect(c.seen.gossip.map((g) => g.body)).toEqual([1]);
    peer.conn.close(1000, "test over");
    await stop();
  });

  it("is delivered once however often it arrives, pending or judged", async () => {
    const { h, b, c, stop } = await line();
    const peer = h.rawPeer(b, "x");
    const f = frame(peer, 7);
    peer.send(f);
    peer.send(f);
    h.advance(1_000);
    expect(b.seen.gossip).toHaveLength(1);
    expect(b.node.reportValidationResult(idOf(f), "ignore")).toBe(true);
    peer.send(f);
    h.advance(1_000);
    expect(b.seen.gossip).toHaveLength(1);
    expect(b.node.stats().gossip.duplicates).toBe(2);
    expect(c.seen.gossip).toEqual([]);
    peer.conn.close(1000, "test over");
    await stop();
  });

  it("takes a verdict given inside the delivery callback itself", async () => {
    const h = new MemoryHarness();
    const a = h.node("a");
    const c = h.node("c", { peers: [{ address: "b:7000" }] });
    const verdicts: boolean[] = [];
    const b: P2PNode = new P2PNode(
      {
        networkId: NETWORK,
        identity: generateIdentity(),
        version: "0.0.0-test",
        listen: "b:7000",
        peers: [{ address: "a:7000" }],
        validatedTopics: [TOPIC],
      },
      { transport: h.net.transport("b"), clock: h.net.clock, rng: seededRng(3) },
      {
        onGossip: (_topic, _body, meta) =>
          verdicts.push(b.reportValidationResult(meta.id, "accept")),
      },
    );
    for (const n of [a.node, b, c.node]) await n.start();
    h.until(() => b.peers().length === 2 && c.node.peers().length === 1, "connect");
    a.node.publish(TOPIC, "quick");
    h.until(() => c.seen.gossip.length === 1, "relay to c");
    expect(verdicts).toEqual([true]);
    for (const n of [a.node, b, c.node]) await n.stop();
  });

  it("drops what is held when the node stops", async () => {
    const { h, a, b, stop } = await line();
    const id = a.node.publish(TOPIC, "release");
    h.until(() => b.seen.gossip.length === 1, "delivery to b");
    expect(b.node.stats().validation.pending).toBe(1);
    await stop();
    expect(b.node.stats().validation.pending).toBe(0);
    expect(b.node.reportValidationResult(id, "accept")).toBe(false);
    h.advance(DEFAULT_VALIDATION_TIMEOUT_MS);
    expect(b.node.stats().validation.timedOut).toBe(0);
  });
});
