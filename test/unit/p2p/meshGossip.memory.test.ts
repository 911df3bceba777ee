import { describe, expect, it } from "vitest";
import {
  type ControlFrame,
  DEFAULT_IWANT_TIMEOUT_MS,
  type Frame,
  type GossipFrame,
  gossipId,
  type P2PNodeOptions,
} from "../../../src/p2p";
import { MemoryHarness } from "./memoryHarness";
import type { RawPeer } from "./rawPeer";

const TOPIC = "t";

/** A line a — b — c of mesh gossip nodes. */
async function line(options: Partial<P2PNodeOptions> = {}) {
  const h = new MemoryHarness();
  const a = h.node("a", options);
  const b = h.node("b", { peers: [{ address: "a:7000" }], ...options });
  const c = h.node("c", { peers: [{ address: "b:7000" }], ...options });
  for (const n of [a, b, c]) await n.node.start();
  h.until(() => b.node.peers().length === 2 && c.node.peers().length === 1, "connect");
  const stop = async () => {
    for (const n of [a, b, c]) await n.node.stop();
  };
  return { h, a, b, c, stop };
}

const controls = (peer: RawPeer): ControlFrame[] =>
  peer.frames.filter((f: Frame): f is ControlFrame => f.type === "ctl");
const gossips = (peer: RawPeer): GossipFrame[] =>
  peer.frames.filter((f: Frame): f is GossipFrame => f.type === "gossip");
const hex = (id: Uint8Array) => Buffer.from(id).toString("hex");

describe("mesh gossip", () => {
  it("publishing the same body again keeps its id and re-announces it: no node gets it twice", async () => {
    const { h, a, b, c, stop } = await line();
    const first = a.node.publish(TOPIC, { vote: 1 });
    h.advance(1_000);
    const again = a.node.publish(TOPIC, { vote: 1 });
    h.advance(1_000);
    expect(again).toBe(first);
    expect(a.node.stats().gossip).toMatchObject({ published: 1, reannounced: 1 });
    for (const n of [b, c]) expect(n.seen.gossip.map((g) => g.meta.id)).toEqual([first]);
    // Another body is another message.
    expect(a.node.publish(TOPIC, { vote: 2 })).not.toBe(first);
    await stop();
  });

  it("a message announced (IHAVE) but not pushed is fetched (IWANT) after iwantTimeoutMs", async () => {
    const { h, b, stop } = await line();
    const peer = h.rawPeer(b, "x");
    const origin = peer.identity.id;
    const id = gossipId(origin, 1, TOPIC);
    peer.send({ type: "ctl", ihave: [{ topic: TOPIC, ids: [id] }] });
    h.advance(DEFAULT_IWANT_TIMEOUT_MS / 2);
    expect(controls(peer).some((f) => f.iwant !== undefined)).toBe(false);
    h.advance(DEFAULT_IWANT_TIMEOUT_MS);
    const asked = controls(peer).flatMap((f) => f.iwant ?? []);
    expect(asked.map(hex)).toEqual([hex(id)]);
    peer.send({ type: "gossip", id, origin, seq: 1, topic: TOPIC, hops: 1, body: "late" });
    h.advance(100);
    expect(b.seen.gossip.map((g) => g.body)).toEqual(["late"]);
    expect(b.node.peerScore(origin)).toBeGreaterThan(0);
    peer.conn.close(1000, "test over");
    await stop();
  });

  it("an announcer that never delivers what it announced loses score, and one that floods IHAVEs is ignored", async () => {
    const { h, b, stop } = await line();
    const peer = h.rawPeer(b, "x");
    const origin = peer.identity.id;
    for (let seq = 1; seq <= 5; seq += 1) {
      peer.send({ type: "ctl", ihave: [{ topic: TOPIC, ids: [gossipId(origin, seq, TOPIC)] }] });
    }
    h.advance(3 * DEFAULT_IWANT_TIMEOUT_MS);
    expect(b.node.peerScore(origin)).toBeLessThan(0);
    const ignoredBefore = b.node.stats().control.ignored;
    for (let i = 0; i < 20; i += 1) {
      peer.send({
        type: "ctl",
        ihave: [{ topic: TOPIC, ids: [gossipId(origin, 100 + i, TOPIC)] }],
      });
    }
    h.advance(10);
    expect(b.node.stats().control.ignored).toBeGreaterThan(ignoredBefore);
    peer.conn.close(1000, "test over");
    await stop();
  });

  it("answers IWANT from its message cache with the message under the same id", async () => {
    const { h, a, b, stop } = await line();
    const peer = h.rawPeer(b, "x");
    const id = a.node.publish(TOPIC, "cached");
    h.advance(200);
    const before = gossips(peer).length;
    peer.send({ type: "ctl", iwant: [Buffer.from(id, "hex")] });
    h.advance(100);
    const served = gossips(peer).slice(before);
    expect(served.map((f) => [hex(f.id), f.body])).toEqual([[id, "cached"]]);
    expect(b.node.stats().gossip.served).toBe(1);
    peer.conn.close(1000, "test over");
    await stop();
  });

  it("on a validated topic, announces nothing of a message before the verdict", async () => {
    const { h, a, b, stop } = await line({ validatedTopics: ["checked"] });
    const peer = h.rawPeer(b, "x");
    const id = a.node.publish("checked", "release");
    h.advance(5_000);
    const told = () => [
      ...gossips(peer).map((f) => hex(f.id)),
      ...controls(peer).flatMap((f) => (f.ihave ?? []).flatMap((e) => e.ids.map(hex))),
    ];
    expect(told()).not.toContain(id);
    expect(b.node.reportValidationResult(id, "accept")).toBe(true);
    h.advance(2_000);
    expect(told()).toContain(id);
    peer.conn.close(1000, "test over");
    await stop();
  });

  it("keeps a mesh of at most D_high peers per topic and refuses grafts beyond it", async () => {
    const h = new MemoryHarness();
    const hub = h.node("hub", { meshDegree: 2, meshDegreeLow: 1, meshDegreeHigh: 3 });
    await hub.node.start();
    const spokes = ["s1", "s2", "s3", "s4", "s5"].map((s) => h.rawPeer(hub, s));
    hub.node.publish(TOPIC, "make the mesh");
    h.advance(100);
    expect(hub.node.meshPeers(TOPIC)).toHaveLength(2);
    for (const s of spokes) s.send({ type: "ctl", graft: [TOPIC] });
    h.advance(100);
    expect(hub.node.meshPeers(TOPIC)).toHaveLength(3);
    const pruned = spokes.filter((s) => controls(s).some((f) => f.prune?.includes(TOPIC)));
    expect(pruned.length).toBeGreaterThan(0);
    for (const s of spokes) s.conn.close(1000, "test over");
    await hub.node.stop();
  });
});

describe("direct messages", () => {
  it("to a node that is not a direct peer are refused with P2P_PEER_NOT_DIRECT, never relayed", async () => {
    const { a, b, c, stop } = await line();
    expect(a.node.sendDirect(c.identity.id, { kind: "cast", to: "x", body: 1 })).toBe(false);
    expect(a.node.unreachable(c.identity.id)).toMatchObject({
      code: "P2P_PEER_NOT_DIRECT",
      message: expect.stringMatching(/not directly connected.*not routed/),
    });
    expect(a.node.unreachable(b.identity.id)).toBeUndefined();
    await stop();
  });
});
