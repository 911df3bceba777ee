import { describe, expect, it } from "vitest";
import {
  authPayload,
  backoffDelay,
  defaultBackoffOptions,
  gossipId,
  keepConnection,
  parseAddress,
  SeenCache,
  seededRng,
  TokenBucket,
} from "../../../src/p2p";

describe("backoffDelay()", () => {
  it.each([
    [0, 0.5, 250],
    [1, 0.5, 500],
    [2, 0.5, 1000],
    [6, 0.5, 16_000],
    [7, 0.5, 30_000],
    [50, 0.5, 30_000],
    [0, 0, 125],
    [0, 0.999999, 375],
    [10, 0, 15_000],
    [10, 0.999999, 45_000],
    [-3, 0.5, 250],
  ])("attempt %i with random %f waits %i ms", (attempt, random, expected) => {
    expect(backoffDelay(attempt, random)).toBe(expected);
  });

  it("never exceeds maxMs · (1 + jitter)", () => {
    const rng = seededRng(1);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const d = backoffDelay(attempt, rng.next(), defaultBackoffOptions);
      expect(d).toBeGreaterThanOrEqual(125);
      expect(d).toBeLessThanOrEqual(45_000);
    }
  });
});

describe("TokenBucket", () => {
  type Step = [at: number, amount: number, allowed: boolean];
  it.each<[string, number, number, Step[]]>([
    [
      "a full bucket allows its capacity at once",
      10,
      5,
      [
        [0, 5, true],
        [0, 1, false],
      ],
    ],
    [
      "refills at the rate",
      10,
      5,
      [
        [0, 5, true],
        [100, 1, true],
        [100, 1, false],
        [300, 2, true],
      ],
    ],
    [
      "never holds more than its capacity",
      10,
      5,
      [
        [0, 5, true],
        [10_000, 5, true],
        [10_000, 1, false],
      ],
    ],
    [
      "refuses more than its capacity, taking nothing",
      10,
      5,
      [
        [0, 6, false],
        [0, 5, true],
      ],
    ],
    [
      "ignores time going backwards",
      10,
      5,
      [
        [1000, 5, true],
        [0, 1, false],
        [1100, 1, true],
      ],
    ],
    [
      "byte-sized amounts",
      1000,
      1500,
      [
        [0, 1500, true],
        [500, 500, true],
        [500, 1, false],
      ],
    ],
  ])("%s", (_name, rate, capacity, steps) => {
    const bucket = new TokenBucket(rate, capacity, 0);
    for (const [at, amount, allowed] of steps) expect(bucket.take(amount, at)).toBe(allowed);
  });
});

describe("SeenCache", () => {
  it("add() is true once per id within the ttl, and again after it", () => {
    const cache = new SeenCache({ ttlMs: 100, maxEntries: 10 });
    expect(cache.add("a", 0)).toBe(true);
    expect(cache.add("a", 50)).toBe(false);
    expect(cache.has("a", 99)).toBe(true);
    expect(cache.has("a", 100)).toBe(false);
    expect(cache.add("a", 100)).toBe(true);
  });

  it("expired ids are pruned and the size stays under the bound", () => {
    const cache = new SeenCache({ ttlMs: 100, maxEntries: 3 });
    for (const [i, id] of ["a", "b", "c", "d"].entries()) cache.add(id, i);
    expect(cache.size).toBe(3);
    expect(cache.has("a", 4)).toBe(false);
    expect(cache.has("d", 4)).toBe(true);
    cache.add("e", 500);
    expect(cache.size).toBe(1);
  });
});

describe("keepConnection()", () => {
  const lo = "0".repeat(40);
  const hi = "f".repeat(40);
  it.each([
    [
      "the lower id's dial wins, whatever the order",
      { dialer: lo, order: 1 },
      { dialer: hi, order: 2 },
      lo,
    ],
    [
      "the lower id's dial wins when it came second",
      { dialer: hi, order: 1 },
      { dialer: lo, order: 2 },
      lo,
    ],
    [
      "the newer wins when one node dialed both",
      { dialer: hi, order: 1 },
      { dialer: hi, order: 2 },
      "new",
    ],
  ])("%s", (_name, a, b, expected) => {
    const winner = keepConnection(a, b);
    if (expected === "new") expect(winner).toBe(b);
    else expect(winner.dialer).toBe(expected);
    expect(keepConnection(b, a)).toBe(winner);
  });
});

describe("ids and payloads", () => {
  it("gossipId() is 16 bytes and depends on origin, sequence and topic", () => {
    const base = gossipId("a".repeat(40), 1, "t");
    expect(base).toHaveLength(16);
    expect(gossipId("a".repeat(40), 1, "t")).toEqual(base);
    expect(gossipId("b".repeat(40), 1, "t")).not.toEqual(base);
    expect(gossipId("a".repeat(40), 2, "t")).not.toEqual(base);
    expect(gossipId("a".repeat(40), 1, "u")).not.toEqual(base);
  });

  it("authPayload() binds network, challenge, both ids and the transcript without ambiguity", () => {
    const c = new Uint8Array(32).fill(1);
    const t = new Uint8Array(32).fill(2);
    const ctx = { network: "n", challenge: c, signer: "a", verifier: "b", transcript: t };
    const base = authPayload(ctx);
    expect(authPayload({ ...ctx, signer: "b", verifier: "a" })).not.toEqual(base);
    expect(authPayload({ ...ctx, network: "m" })).not.toEqual(base);
    expect(authPayload({ ...ctx, challenge: new Uint8Array(32) })).not.toEqual(base);
    expect(authPayload({ ...ctx, transcript: new Uint8Array(32) })).not.toEqual(base);
    expect(authPayload({ ...ctx, network: "na", signer: "" })).not.toEqual(base);
  });

  it.each([
    ["127.0.0.2:4000", { host: "127.0.0.2", port: 4000 }],
    ["[::1]:80", { host: "::1", port: 80 }],
    ["n5:7000", { host: "n5", port: 7000 }],
  ])("parseAddress(%s)", (address, expected) => {
    expect(parseAddress(address)).toEqual(expected);
  });

  it.each(["nohost", ":80", "h:", "h:70000", "h:8a"])("parseAddress(%s) throws", (address) => {
    expect(() => parseAddress(address)).toThrow(/Cannot use address .*: expected host:port/);
  });

  it("seededRng() repeats from its seed and forks independently", () => {
    const a = seededRng(3);
    const b = seededRng(3);
    expect([a.next(), a.next()]).toEqual([b.next(), b.next()]);
    expect(a.bytes(8)).toEqual(b.bytes(8));
    expect(a.fork().next()).toBe(b.fork().next());
    expect(seededRng(4).next()).not.toBe(seededRng(3).next());
  });
});
