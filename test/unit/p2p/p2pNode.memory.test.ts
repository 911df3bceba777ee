import { describe, expect, it } from "vitest";
import { CLOSE_REASONS, type Connection, type Transport } from "../../../src/p2p";
import { recordingNode } from "./helpers";
import { MemoryHarness } from "./memoryHarness";
import { rawPeer } from "./rawPeer";

function dialTimes(inner: Transport, now: () => number, times: number[]): Transport {
  return {
    listen: (address, accept) => inner.listen(address, accept),
    dial: (address): Connection => {
      times.push(now());
      return inner.dial(address);
    },
  };
}

describe("P2PNode on the memory network", () => {
  it("redials a static peer with exponential backoff until it appears, then resets", async () => {
    const h = new MemoryHarness();
    const times: number[] = [];
    const a = recordingNode(
      dialTimes(h.net.transport("a"), () => h.net.clock.now(), times),
      { peers: [{ address: "b:7000" }] },
      { clock: h.net.clock, rng: { next: () => 0.5 } },
    );
    await a.node.start();
    h.advance(4_000);
    // Each refused dial takes a 10 ms round trip, then waits 250, 500, 1000, 2000 ms.
    expect(times).toEqual([0, 260, 770, 1780, 3790]);
    const b = h.node("b");
    await b.node.start();
    h.until(() => a.seen.up.length === 1, "connect");
    expect(times).toHaveLength(6);
    expect(a.node.peers()[0]?.id).toBe(b.identity.id);
    // After a successful handshake the schedule starts again from the base delay.
    await b.node.stop();
    h.until(() => a.seen.down.length === 1, "down");
    const downAt = h.net.clock.now();
    h.until(() => times.length === 8, "redials");
    expect(times.slice(6).map((t) => t - downAt)).toEqual([250, 760]);
    await a.node.stop();
  });

  it("simultaneous dials leave exactly one connection, the same on both sides", async () => {
    const h = new MemoryHarness();
    const x = h.node("x", { peers: [{ address: "y:7000" }] });
    const y = h.node("y", { peers: [{ address: "x:7000" }] });
    await x.node.start();
    await y.node.start();
    h.advance(5_000);
    expect(x.node.peers().map((p) => p.id)).toEqual([y.identity.id]);
    expect(y.node.peers().map((p) => p.id)).toEqual([x.identity.id]);
    const xd = x.node.peers()[0]?.direction;
    const yd = y.node.peers()[0]?.direction;
    expect(new Set([xd, yd])).toEqual(new Set(["inbound", "outbound"]));
    const lowerDialed = x.identity.id < y.identity.id ? xd : yd;
    expect(lowerDialed).toBe("outbound");
    expect(
      x.node.stats().duplicateConnections + y.node.stats().duplicateConnections,
    ).toBeGreaterThan(0);
    expect(x.seen.up).toHaveLength(1);
    expect(x.seen.down).toHaveLength(0);
    // Still working: messages flow both ways.
    expect(x.node.sendDirect(y.identity.id, { kind: "cast", to: "e" })).toBe(true);
    h.until(() => y.seen.messages.length === 1);
    await x.node.stop();
    await y.node.stop();
  });

  it("pings measure latency and a silent peer is closed at the deadline", async () => {
    const h = new MemoryHarness();
    const a = h.node("a", { pingIntervalMs: 1_000, peerTimeoutMs: 3_000 });
    const b = h.node("b", {
      pingIntervalMs: 1_000,
      peerTimeoutMs: 3_000,
      peers: [{ address: "a:7000" }],
    });
    await a.node.start();
    await b.node.start();
    h.advance(2_500);
    expect(a.node.peers()[0]?.latencyMs).toBe(10);
    const cut = h.net.partition(["a"]);
    h.until(() => a.seen.rejected.length > 0, "timeout");
    expect(a.seen.rejected[0]?.code).toBe(CLOSE_REASONS.peer_timeout.code);
    expect(a.seen.down[0]?.reason).toBe("peer silent");
    cut.heal();
    h.until(() => a.node.peers().length === 1 && b.node.peers().length === 1, "reconnect");
    await a.node.stop();
    await b.node.stop();
  });

  it("over the high-water mark sendDirect returns false and gossip to that peer is dropped", async () => {
    const h = new MemoryHarness();
    const a = h.node("a", { highWaterMarkBytes: 1_000 });
    const b = h.node("b", { peers: [{ address: "a:7000" }] });
    await a.node.start();
    await b.node.start();
    h.until(() => a.node.peers().length === 1);
    const big = { kind: "cast" as const, to: "e", body: new Uint8Array(2_000) };
    expect(a.node.sendDirect(b.identity.id, big)).toBe(true);
    expect(a.node.sendDirect(b.identity.id, big)).toBe(false);
    a.node.publish("t", 1);
    expect(a.node.stats().gossip.dropped).toBe(1);
    expect(a.node.stats().direct).toEqual({ sent: 1, received: 0, dropped: 1 });
    h.until(() => b.seen.messages.length === 1);
    expect(a.node.sendDirect(b.identity.id, big)).toBe(true);
    expect(a.node.sendDirect("0".repeat(40), big)).toBe(false);
    await a.node.stop();
    await b.node.stop();
  });

  it("gossip stops at the hop limit and is not delivered to its publisher", async () => {
    const h = new MemoryHarness();
    const hosts = ["n0", "n1", "n2", "n3", "n4"];
    const nodes = hosts.map((host, i) =>
      h.node(host, { hopLimit: 3, peers: i === 0 ? [] : [{ address: `${hosts[i - 1]}:7000` }] }),
    );
    for (const n of nodes) await n.node.start();
    h.until(() => nodes.every((n, i) => n.node.peers().length === (i === 0 || i === 4 ? 1 : 2)));
    const id = nodes[0]?.node.publish("t", "x");
    h.advance(1_000);
    expect(nodes.map((n) => n.seen.gossip.length)).toEqual([0, 1, 1, 1, 0]);
    expect(nodes.slice(1, 4).map((n) => n.seen.gossip[0]?.meta.hops)).toEqual([1, 2, 3]);
    expect(nodes[3]?.seen.gossip[0]?.meta).toMatchObject({ id, origin: nodes[0]?.identity.id });
    for (const n of nodes) await n.node.stop();
  });

  it("refuses a connection to itself and stops dialing it", async () => {
    const h = new MemoryHarness();
    const a = h.node("a", { peers: [{ address: "a:7000" }] });
    await a.node.start();
    h.advance(60_000);
    expect(a.node.stats().rejected.self_connection).toBe(2);
    expect(a.node.peers()).toEqual([]);
    await a.node.stop();
  });

  it("enforces the inbound peer and pending handshake bounds", async () => {
    const h = new MemoryHarness();
    const a = h.node("a", { maxInboundPeers: 1, maxPendingHandshakes: 1 });
    await a.node.start();
    const b = h.node("b", { peers: [{ address: "a:7000" }] });
    await b.node.start();
    h.until(() => a.node.peers().length === 1);
    const c = h.node("c", { peers: [{ address: "a:7000" }] });
    await c.node.start();
    h.until(() => (a.node.stats().rejected.too_many_peers ?? 0) >= 1);
    const stalled = rawPeer(h.net.transport("r1"), "a:7000");
    const second = rawPeer(h.net.transport("r2"), "a:7000");
    h.until(() => second.closed !== undefined);
    expect(second.closed?.reason).toBe("too many connections: pending handshakes");
    expect(a.node.stats().pendingHandshakes).toBe(1);
    stalled.conn.close(1000, "bye");
    await Promise.all([a.node.stop(), b.node.stop(), c.node.stop()]);
  });

  it("a throwing application callback does not break the node", async () => {
    const h = new MemoryHarness();
    const a = h.node("a");
    const { P2PNode } = await import("../../../src/p2p");
    const errors: string[] = [];
    const log = {
      trace() {},
      debug() {},
      info() {},
      warn() {},
      error: (msg: string) => errors.push(msg),
      child: () => log,
    };
    const b = new P2PNode(
      {
        networkId: "anode-test",
        identity: (await import("../../../src/p2p")).generateIdentity(),
        version: "t",
        peers: [{ address: "a:7000" }],
      },
      { transport: h.net.transport("b"), clock: h.net.clock, rng: { next: () => 0.5 }, log },
      {
        onPeerUp: () => {
          throw new Error("app bug");
        },
      },
    );
    await a.node.start();
    await b.start();
    h.until(() => a.node.peers().length === 1 && b.peers().length === 1);
    expect(errors).toEqual(["p2p event handler threw"]);
    await a.node.stop();
    await b.stop();
  });

  it("checks what the caller sends and refuses to publish when stopped", async () => {
    const h = new MemoryHarness();
    const a = h.node("a");
    expect(() => a.node.publish("t", 1)).toThrow(/Cannot publish: the p2p node is not running/);
    await a.node.start();
    await a.node.start();
    expect(() => a.node.publish("t".repeat(129), 1)).toThrow(
      /Cannot publish: topic longer than 128/,
    );
    expect(() => a.node.publish("t", new Date())).toThrow(
      /Cannot publish: gossip.body holds a non-plain object/,
    );
    expect(() => a.node.sendDirect("x", { kind: "cast", to: "e".repeat(200) })).toThrow(
      /Cannot send message: msg.to longer/,
    );
    expect(() => a.node.sendDirect("x", { kind: "cast", body: new Uint8Array(2 << 20) })).toThrow(
      /exceeds the limit/,
    );
    await a.node.stop();
    await a.node.stop();
    await expect(h.node("a").node.start()).resolves.toBeUndefined();
    await expect(h.node("a").node.start()).rejects.toThrow(
      /Cannot listen on a:7000: address in use/,
    );
  });
});
