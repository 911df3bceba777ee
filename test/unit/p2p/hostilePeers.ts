import { afterEach, describe, expect, it } from "vitest";
import {
  CLOSE_REASONS,
  type CloseReasonKey,
  type Connection,
  encodeFrame,
  FRAME_TAGS,
  generateIdentity,
  gossipId,
  type LinkCipher,
  MAX_GOSSIP_BYTES,
  MAX_WIRE_BYTES,
  type P2PNode,
  type P2PNodeOptions,
  PROTOCOL_VERSION,
  SEALED_TAG,
  type Transport,
} from "../../../src/p2p";
import { NETWORK, recordingNode, type TestNode } from "./helpers";
import { type RawPeer, rawPeer } from "./rawPeer";

/** One environment (memory or ws) for the hostile-peer suite. */
export interface HostileEnv {
  /** A transport per host; `host` is ignored by ws. */
  transport(host: string): Transport;
  /** A listen address for `host`. */
  address(host: string): Promise<string>;
  deps(host: string): Partial<Omit<ConstructorParameters<typeof P2PNode>[1], "transport">>;
  until(check: () => boolean, what: string): Promise<void>;
}

/** Transport wrapper that records every frame its connections send. */
function tapping(inner: Transport, sent: Uint8Array[]): Transport {
  return {
    listen: (address, onConnection) => inner.listen(address, onConnection),
    dial: (address): Connection => {
      const conn = inner.dial(address);
      return {
        get remoteAddress() {
          return conn.remoteAddress;
        },
        get bufferedAmount() {
          return conn.bufferedAmount;
        },
        send: (data) => {
          sent.push(Uint8Array.from(data));
          conn.send(data);
        },
        close: (code, reason) => conn.close(code, reason),
        setHandlers: (handlers) => conn.setHandlers(handlers),
      };
    },
  };
}

/**
 * Hostile peers against a node that also serves an honest peer: every attack must close
 * only the attacker's connection, with its own code and reason, counted and reported,
 * while the honest peer keeps exchanging messages.
 */
export function hostilePeerSuite(name: string, makeEnv: () => Promise<HostileEnv>): void {
  describe(`hostile peers (${name})`, () => {
    let env: HostileEnv;
    let victim: TestNode;
    let honest: TestNode;
    const nodes: P2PNode[] = [];
    const raws: RawPeer[] = [];

    afterEach(async () => {
      for (const raw of raws.splice(0)) raw.conn.close(1000, "test over");
      await Promise.all(nodes.splice(0).map((n) => n.stop()));
    });

    async function setUp(options: Partial<P2PNodeOptions> = {}): Promise<void> {
      env = await makeEnv();
      const address = await env.address("victim");
      victim = recordingNode(
        env.transport("victim"),
        { listen: address, ...options },
        env.deps("victim"),
      );
      nodes.push(victim.node);
      await victim.node.start();
      honest = recordingNode(
        env.transport("honest"),
        { peers: [{ address: victim.node.listenAddress ?? address, id: victim.identity.id }] },
        env.deps("honest"),
      );
      nodes.push(honest.node);
      await honest.node.start();
      await env.until(
        () => victim.seen.up.length === 1 && honest.seen.up.length === 1,
        "honest peer",
      );
    }

    function attacker(options: Parameters<typeof rawPeer>[2] = {}): RawPeer {
      const raw = rawPeer(env.transport("attacker"), victim.node.listenAddress as string, options);
      raws.push(raw);
      return raw;
    }

    async function opened(raw: RawPeer): Promise<void> {
      await env.until(() => raw.opened && raw.theirHello !== undefined, "attacker open");
    }

    async function authenticated(raw: RawPeer): Promise<void> {
      await opened(raw);
      raw.hello();
      raw.auth();
      await env.until(
        () => victim.seen.up.some((p) => p.id === raw.identity.id),
        "attacker authenticated",
      );
    }

    /** The attacker was closed with `key`'s code, and the honest peer is still served. */
    async function expectRejected(raw: RawPeer, key: CloseReasonKey): Promise<void> {
      const { code, reason } = CLOSE_REASONS[key];
      await env.until(() => raw.closed !== undefined, `close (${key})`);
      expect(raw.closed?.code).toBe(code);
      expect(raw.closed?.reason.startsWith(reason)).toBe(true);
      expect(victim.node.stats().rejected[key]).toBe(1);
      expect(victim.seen.rejected.map((r) => r.code)).toEqual([code]);
      const before = victim.seen.messages.length;
      expect(
        honest.node.sendDirect(victim.identity.id, { kind: "cast", to: "probe", body: key }),
      ).toBe(true);
      await env.until(() => victim.seen.messages.length === before + 1, "honest message");
      expect(victim.node.peers().map((p) => p.id)).toContain(honest.identity.id);
    }

    it("a wrong network id is refused", async () => {
      await setUp();
      const raw = attacker({ network: "another-network" });
      await opened(raw);
      raw.hello();
      await expectRejected(raw, "wrong_network");
    });

    it("an unsupported protocol version is refused", async () => {
      await setUp();
      const raw = attacker();
      await opened(raw);
      raw.hello({ protocol: 99 });
      await expectRejected(raw, "wrong_protocol");
    });

    it("an id that does not derive from the public key is refused", async () => {
      await setUp();
      const raw = attacker();
      await opened(raw);
      raw.hello({ id: honest.identity.id });
      await expectRejected(raw, "bad_identity");
    });

    it("a bad handshake signature is refused", async () => {
      await setUp();
      const raw = attacker();
      await opened(raw);
      raw.hello();
      raw.send({ type: "auth", signature: new Uint8Array(64).fill(1) });
      await expectRejected(raw, "bad_signature");
    });

    it("a handshake recorded from another session is refused", async () => {
      await setUp();
      // Session 1: a real node connects and authenticates; everything it sends is recorded.
      const recorded: Uint8Array[] = [];
      const identity = generateIdentity();
      const real = recordingNode(
        tapping(env.transport("replayed"), recorded),
        { identity, peers: [{ address: victim.node.listenAddress as string }] },
        env.deps("replayed"),
      );
      await real.node.start();
      await env.until(() => victim.seen.up.some((p) => p.id === identity.id), "session 1");
      await real.node.stop();
      await env.until(() => victim.node.peers().length === 1, "session 1 over");
      const [hello, auth] = recorded;
      expect(hello?.[0]).toBe(FRAME_TAGS.hello);
      expect(auth?.[0]).toBe(SEALED_TAG);
      // Session 2: the same bytes, replayed. The victim's fresh ephemeral key gives the link
      // new keys, so the recorded auth does not even open (nor would its signature, over
      // the victim's fresh challenge and transcript, verify).
      const raw = attacker({ identity });
      await opened(raw);
      raw.sendWire(hello as Uint8Array);
      raw.sendWire(auth as Uint8Array);
      await expectRejected(raw, "frame_auth_failed");
    });

    it("frames before authentication are refused", async () => {
      await setUp();
      const raw = attacker();
      await opened(raw);
      raw.hello();
      raw.send({ type: "msg", message: { kind: "cast", to: "mempool" } });
      await expectRejected(raw, "not_authenticated");
    });

    it("an auth before any hello is a protocol violation", async () => {
      await setUp();
      const raw = attacker();
      await opened(raw);
      raw.send({ type: "auth", signature: new Uint8Array(64) });
      await expectRejected(raw, "protocol_violation");
    });

    it("a hello after authentication is a protocol violation", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      raw.hello();
      await expectRejected(raw, "protocol_violation");
    });

    it("malformed MessagePack is refused", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      raw.sendRaw(Uint8Array.of(FRAME_TAGS.msg, 0x92, 0x01));
      await expectRejected(raw, "malformed_frame");
    });

    it("a frame failing its schema is refused", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      raw.sendRaw(Uint8Array.of(FRAME_TAGS.ping, 0x81, 0xa1, 0x78, 0x01));
      await expectRejected(raw, "invalid_frame");
    });

    it("gossip whose id does not match its origin and sequence is refused", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      raw.send({
        type: "gossip",
        id: new Uint8Array(16),
        origin: raw.identity.id,
        seq: 1,
        topic: "t",
        hops: 1,
        body: 1,
      });
      await expectRejected(raw, "invalid_frame");
    });

    it("a frame over its type's limit is refused before decoding", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      const big = new Uint8Array(MAX_GOSSIP_BYTES + 10);
      big[0] = FRAME_TAGS.gossip;
      raw.sendRaw(big);
      await expectRejected(raw, "frame_too_large");
    });

    it("a frame over the transport's limit closes the connection (1009) and is counted", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      raw.sendWire(new Uint8Array(MAX_WIRE_BYTES + 1));
      await env.until(() => raw.closed !== undefined, "1009");
      expect(raw.closed?.code).toBe(1009);
      await env.until(() => victim.seen.rejected.length === 1, "rejection");
      expect(victim.node.stats().rejected.frame_too_large).toBe(1);
      expect(honest.node.sendDirect(victim.identity.id, { kind: "cast", to: "probe" })).toBe(true);
      await env.until(() => victim.seen.messages.length === 1, "honest message");
    });

    it("a protocol 1 peer (a hello without an ephemeral key) is refused as wrong_protocol", async () => {
      await setUp();
      const raw = attacker();
      await opened(raw);
      raw.hello({ protocol: 1, ephemeralKey: undefined });
      await expectRejected(raw, "wrong_protocol");
    });

    it("an ephemeral key of low order is refused", async () => {
      await setUp();
      const raw = attacker();
      await opened(raw);
      raw.sendWire(
        encodeFrame({
          type: "hello",
          network: NETWORK,
          id: raw.identity.id,
          publicKey: raw.identity.publicKey,
          protocol: PROTOCOL_VERSION,
          version: "raw",
          challenge: raw.challenge,
          ephemeralKey: new Uint8Array(32),
          listen: "",
        }),
      );
      await expectRejected(raw, "bad_key_exchange");
    });

    it("a frame in the clear after the hellos fails authentication", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      raw.sendWire(encodeFrame({ type: "ping", nonce: 1 }));
      await expectRejected(raw, "frame_auth_failed");
    });

    it("a sealed frame with one bit flipped fails authentication", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      const sealed = (raw.cipher as LinkCipher).seal(encodeFrame({ type: "ping", nonce: 1 }));
      sealed[3] = (sealed[3] as number) ^ 0x01;
      raw.sendWire(sealed);
      await expectRejected(raw, "frame_auth_failed");
    });

    it("a sealed frame replayed fails authentication, after the original was answered", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      const sealed = (raw.cipher as LinkCipher).seal(encodeFrame({ type: "ping", nonce: 42 }));
      raw.sendWire(sealed);
      await env.until(() => raw.frames.some((f) => f.type === "pong" && f.nonce === 42), "pong");
      raw.sendWire(sealed);
      await expectRejected(raw, "frame_auth_failed");
    });

    it("sealed frames delivered out of order fail authentication", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      const cipher = raw.cipher as LinkCipher;
      const first = cipher.seal(encodeFrame({ type: "ping", nonce: 1 }));
      const second = cipher.seal(encodeFrame({ type: "ping", nonce: 2 }));
      raw.sendWire(second);
      raw.sendWire(first);
      await expectRejected(raw, "frame_auth_failed");
      expect(raw.frames.some((f) => f.type === "pong")).toBe(false);
    });

    it("a flood past the rate limit is cut off", async () => {
      await setUp({
        rateLimit: {
          framesPerSecond: 100,
          frameBurst: 50,
          bytesPerSecond: 1 << 20,
          byteBurst: 2 << 20,
        },
      });
      const raw = attacker();
      await authenticated(raw);
      for (let i = 0; i < 200; i += 1) raw.send({ type: "ping", nonce: i });
      await expectRejected(raw, "rate_limited");
    });

    it("a peer that never completes its handshake is closed at the deadline", async () => {
      await setUp({ handshakeTimeoutMs: 300 });
      const raw = attacker();
      await opened(raw);
      await expectRejected(raw, "handshake_timeout");
    });

    it("a static peer presenting another id is refused", async () => {
      env = await makeEnv();
      const target = recordingNode(
        env.transport("target"),
        { listen: await env.address("target") },
        env.deps("target"),
      );
      nodes.push(target.node);
      await target.node.start();
      const dialer = recordingNode(
        env.transport("dialer"),
        { peers: [{ address: target.node.listenAddress as string, id: generateIdentity().id }] },
        env.deps("dialer"),
      );
      nodes.push(dialer.node);
      await dialer.node.start();
      await env.until(() => dialer.seen.rejected.length >= 1, "unexpected peer");
      expect(dialer.seen.rejected[0]?.code).toBe(CLOSE_REASONS.unexpected_peer.code);
      expect(dialer.node.stats().rejected.unexpected_peer).toBeGreaterThanOrEqual(1);
      expect(target.seen.up).toEqual([]);
    });

    it("gossip relayed by an authenticated peer is delivered once and forwarded", async () => {
      await setUp();
      const raw = attacker();
      await authenticated(raw);
      const frame = {
        type: "gossip" as const,
        id: gossipId(raw.identity.id, 5, "t"),
        origin: raw.identity.id,
        seq: 5,
        topic: "t",
        hops: 1,
        body: { x: 1 },
      };
      raw.send(frame);
      raw.send(frame);
      await env.until(
        () => honest.seen.gossip.length === 1 && victim.node.stats().gossip.duplicates === 1,
        "relay",
      );
      expect(victim.seen.gossip.map((g) => g.meta.hops)).toEqual([1]);
      expect(honest.seen.gossip[0]?.meta).toMatchObject({
        from: victim.identity.id,
        origin: raw.identity.id,
        hops: 2,
      });
      expect(encodeFrame(frame)[0]).toBe(FRAME_TAGS.gossip);
      expect(raw.closed).toBeUndefined();
    });
  });
}
