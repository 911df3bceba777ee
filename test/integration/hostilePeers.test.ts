import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  encodeFrame,
  type Frame,
  generateIdentity,
  MAX_FRAME_BYTES,
  seededRng,
} from "../../src/p2p";
import { type NodeProcess, startNodeProcess } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { RawPeer } from "../support/rawPeer";
import { tempDir } from "../support/tempDir";
import { eventually } from "../support/testnet";

const NETWORK = "anode-dev";

describe("hostile peers against a real node process", () => {
  const dirA = tempDir();
  const dirB = tempDir();
  let a: NodeProcess;
  let b: NodeProcess;
  let addressA = "";
  let apiA = 0;

  const peersOfA = async () => {
    const token = (await import("node:fs")).readFileSync(`${dirA.path}/api.token`, "utf8").trim();
    const res = await fetch(`http://127.0.0.1:${apiA}/v1/peers`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return (await res.json()) as { peers: Array<{ id: string }>; stats: Record<string, unknown> };
  };

  beforeAll(async () => {
    const p2pA = await freePort();
    apiA = await freePort();
    addressA = `127.0.0.1:${p2pA}`;
    a = await startNodeProcess(["--data-dir", dirA.path, "--api-port", String(apiA)], {
      env: { ANODE_P2P_LISTEN: addressA },
    });
    // An honest peer stays connected through every attack.
    b = await startNodeProcess(["--data-dir", dirB.path, "--api-port", String(await freePort())], {
      env: { ANODE_P2P_PEERS: JSON.stringify([{ address: addressA }]) },
    });
    await eventually(
      async () => (await peersOfA()).peers.length === 1,
      15_000,
      "the honest peer to connect",
    );
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    dirA.remove();
    dirB.remove();
  });

  async function expectClosed(peer: RawPeer, code: number, reason: RegExp) {
    const closed = await Promise.race([
      peer.closed,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("the node did not close the connection")), 10_000),
      ),
    ]);
    expect(closed.code).toBe(code);
    expect(closed.reason).toMatch(reason);
  }

  it("closes a peer on the wrong network with 4001", async () => {
    const p = new RawPeer(addressA);
    await p.opened;
    p.hello("some-other-network");
    await expectClosed(p, 4001, /wrong network/);
  });

  it("closes a peer whose handshake signature is bad with 4006", async () => {
    const p = new RawPeer(addressA);
    await p.opened;
    p.hello(NETWORK);
    await p.frame("hello");
    p.send({ type: "auth", signature: new Uint8Array(randomBytes(64)) });
    await expectClosed(p, 4006, /bad handshake signature/);
  });

  it("refuses a handshake replayed from an earlier session", async () => {
    const identity = generateIdentity();
    const first = new RawPeer(addressA, identity);
    await first.opened;
    first.hello(NETWORK);
    const theirs = await first.frame("hello");
    const recorded = first.authFor(NETWORK, theirs);
    first.send({ type: "auth", signature: recorded });
    await first.frame("auth");
    first.close();
    await first.closed;

    const replay = new RawPeer(addressA, identity);
    await replay.opened;
    replay.hello(NETWORK);
    await replay.frame("hello");
    replay.send({ type: "auth", signature: recorded });
    await expectClosed(replay, 4006, /bad handshake signature/);
  });

  it("closes on malformed MessagePack with 4009 and on an oversized frame", async () => {
    const p = new RawPeer(addressA);
    await p.handshake(NETWORK);
    p.sendRaw(Uint8Array.from([3, 0xc1, 0xc1, 0xff, 0x00]));
    await expectClosed(p, 4009, /malformed frame/);

    const big = new RawPeer(addressA);
    await big.handshake(NETWORK);
    const huge = new Uint8Array(MAX_FRAME_BYTES + 10);
    huge[0] = 3;
    big.sendRaw(huge);
    const closed = await big.closed;
    expect([1009, 4011]).toContain(closed.code);
  });

  it("closes a peer that sends data before authenticating with 4008", async () => {
    const p = new RawPeer(addressA);
    await p.opened;
    p.send({ type: "ping", nonce: 1 });
    await expectClosed(p, 4008, /before authentication/);
  });

  it("closes a flood past the rate limit with 4012", async () => {
    const p = new RawPeer(addressA);
    await p.handshake(NETWORK);
    const ping = encodeFrame({ type: "ping", nonce: 7 });
    // Bounded: at most 1,000,000 frames, in bursts, until the node closes the connection.
    for (let burst = 0; burst < 100 && p.ws.readyState === p.ws.OPEN; burst++) {
      for (let i = 0; i < 10_000; i++) p.sendRaw(ping);
      await new Promise((r) => setImmediate(r));
    }
    await expectClosed(p, 4012, /rate limit/);
  });

  it(">= 10,000 random and mutated frames: each bad one closes its connection, the node keeps serving", async () => {
    const seeds: Frame[] = [
      { type: "ping", nonce: 1 },
      { type: "msg", message: { kind: "cast", to: "router", body: { x: 1 } } },
      { type: "msg", message: { kind: "call", to: "mempool", callId: 1, body: { type: "stats" } } },
      {
        type: "msg",
        message: { kind: "call", to: "storage", callId: 2, body: { type: "expunge", key: "k" } },
      },
      {
        type: "gossip",
        id: new Uint8Array(16),
        origin: "f".repeat(40),
        seq: 1,
        topic: "t",
        hops: 1,
        body: "hello",
      },
    ];
    const encoded = seeds.map(encodeFrame);
    // Seeded so that a failure can be replayed: FUZZ_SEED=<printed seed> npx vitest run ...
    const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`fuzz seed ${seed}`);
    const rng = seededRng(seed);
    const int = (n: number) => Math.floor(rng.next() * n);
    const mutate = (): Uint8Array => {
      const r = rng.next();
      if (r < 0.2) return Uint8Array.from({ length: 1 + int(200) }, () => int(256));
      const base = Buffer.from(encoded[int(encoded.length)] as Uint8Array);
      if (r < 0.4) return base.subarray(0, int(base.length));
      const copy = Buffer.from(base);
      const flips = 1 + int(4);
      for (let i = 0; i < flips; i++) copy[int(copy.length)] = int(256);
      return copy;
    };
    let sent = 0;
    const TARGET = 10_000;
    const worker = async () => {
      while (sent < TARGET) {
        const p = new RawPeer(addressA);
        try {
          await p.handshake(NETWORK);
        } catch {
          p.close();
          continue;
        }
        // Frames on one connection until the node closes it (or 50 went through).
        for (let i = 0; i < 50 && sent < TARGET && p.ws.readyState === p.ws.OPEN; i++) {
          p.sendRaw(mutate());
          sent++;
          await new Promise((r) => setImmediate(r));
        }
        p.close();
        await p.closed;
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(sent).toBeGreaterThanOrEqual(TARGET);

    // Still serving: the honest peer is connected and the node answers its API.
    const after = await peersOfA();
    expect(after.peers.length).toBeGreaterThanOrEqual(1);
    expect(a.proc.exitCode).toBeNull();
    const stats = after.stats as { rejected?: Record<string, number> };
    expect(Object.values(stats.rejected ?? {}).reduce((x, y) => x + y, 0)).toBeGreaterThan(100);
    // Each refusal was logged with its reason.
    const refusals = a
      .output()
      .stderr.split("\n")
      .filter((line) => line.includes('"msg":"connection refused"'));
    expect(refusals.some((line) => /"reason":"(malformed frame|invalid frame)/.test(line))).toBe(
      true,
    );
  }, 180_000);
});
