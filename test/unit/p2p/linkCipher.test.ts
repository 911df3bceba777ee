import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  deriveLinkKeys,
  ephemeralKey,
  LinkCipher,
  type LinkKeys,
  SEAL_OVERHEAD_BYTES,
  SEALED_TAG,
} from "../../../src/p2p";

const helloA = Uint8Array.of(1, 10, 20, 30);
const helloB = Uint8Array.of(1, 10, 20, 31);

function pair(): { a: LinkKeys; b: LinkKeys } {
  const ka = ephemeralKey(new Uint8Array(randomBytes(32)));
  const kb = ephemeralKey(new Uint8Array(randomBytes(32)));
  const a = deriveLinkKeys({ own: ka, theirs: kb.publicKey, ownHello: helloA, theirHello: helloB });
  const b = deriveLinkKeys({ own: kb, theirs: ka.publicKey, ownHello: helloB, theirHello: helloA });
  if (a === undefined || b === undefined) throw new Error("no keys");
  return { a, b };
}

function ciphers(): { a: LinkCipher; b: LinkCipher } {
  const { a, b } = pair();
  return {
    a: new LinkCipher(a.sendKey, a.receiveKey),
    b: new LinkCipher(b.sendKey, b.receiveKey),
  };
}

const frame = (n: number) => Uint8Array.of(5, 0x81, 0xa5, n);

describe("deriveLinkKeys", () => {
  it("gives both sides one transcript and one key per direction, mirrored", () => {
    const { a, b } = pair();
    expect(a.transcript).toEqual(b.transcript);
    expect(a.sendKey).toEqual(b.receiveKey);
    expect(a.receiveKey).toEqual(b.sendKey);
    expect(a.sendKey).not.toEqual(a.receiveKey);
  });

  it("makes the same key pair from the same secret, so seeded simulations repeat", () => {
    const secret = new Uint8Array(32).fill(3);
    expect(ephemeralKey(secret).publicKey).toEqual(ephemeralKey(secret).publicKey);
    expect(ephemeralKey(secret).publicKey).toHaveLength(32);
  });

  it("binds the hellos: another hello on one side gives other keys and transcript", () => {
    const ka = ephemeralKey(new Uint8Array(32).fill(1));
    const kb = ephemeralKey(new Uint8Array(32).fill(2));
    const base = deriveLinkKeys({
      own: ka,
      theirs: kb.publicKey,
      ownHello: helloA,
      theirHello: helloB,
    });
    const other = deriveLinkKeys({
      own: ka,
      theirs: kb.publicKey,
      ownHello: helloA,
      theirHello: Uint8Array.of(1, 10, 20, 32),
    });
    expect(other?.transcript).not.toEqual(base?.transcript);
    expect(other?.sendKey).not.toEqual(base?.sendKey);
  });

  it.each([
    ["the all-zero point", new Uint8Array(32)],
    ["the point of order 2 (u = 1)", Uint8Array.of(1, ...new Uint8Array(31))],
    ["a short key", new Uint8Array(31).fill(9)],
  ])("refuses %s", (_what, theirs) => {
    const own = ephemeralKey(new Uint8Array(randomBytes(32)));
    expect(deriveLinkKeys({ own, theirs, ownHello: helloA, theirHello: helloB })).toBeUndefined();
  });
});

describe("LinkCipher", () => {
  it("opens what the other side sealed, in order, with the tag byte and 16 bytes of overhead", () => {
    const { a, b } = ciphers();
    for (let n = 0; n < 5; n += 1) {
      const sealed = a.seal(frame(n));
      expect(sealed[0]).toBe(SEALED_TAG);
      expect(sealed.length).toBe(frame(n).length + SEAL_OVERHEAD_BYTES);
      expect(b.open(sealed)).toEqual(frame(n));
    }
    expect(a.open(b.seal(frame(9)))).toEqual(frame(9));
  });

  it("hides the plaintext: the same frame twice gives two different ciphertexts", () => {
    const { a } = ciphers();
    const payload = new TextEncoder().encode("a transaction body that must not show");
    const first = a.seal(payload);
    const second = a.seal(payload);
    expect(Buffer.from(first).includes(Buffer.from("transaction"))).toBe(false);
    expect(first).not.toEqual(second);
  });

  it("refuses every single flipped bit, in the tag byte, the body and the Poly1305 tag", () => {
    const keys = pair();
    const sealed = new LinkCipher(keys.a.sendKey, keys.a.receiveKey).seal(frame(1));
    for (let i = 0; i < sealed.length; i += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const b = new LinkCipher(keys.b.sendKey, keys.b.receiveKey);
        const copy = Uint8Array.from(sealed);
        copy[i] = (copy[i] as number) ^ (1 << bit);
        expect(b.open(copy)).toBeUndefined();
      }
    }
    expect(new LinkCipher(keys.b.sendKey, keys.b.receiveKey).open(sealed)).toEqual(frame(1));
  });

  it("refuses a replay, a reorder, a dropped frame, a truncation and a frame in the clear", () => {
    const { a, b } = ciphers();
    const f0 = a.seal(frame(0));
    const f1 = a.seal(frame(1));
    const f2 = a.seal(frame(2));
    expect(b.open(f0)).toEqual(frame(0));
    expect(b.open(f0)).toBeUndefined(); // replay
    expect(b.open(f2)).toBeUndefined(); // f1 dropped, or f2 before f1
    expect(b.open(f1.subarray(0, f1.length - 1))).toBeUndefined(); // truncated
    expect(b.open(frame(1))).toBeUndefined(); // clear
    expect(b.open(f1)).toEqual(frame(1));
  });

  it("keeps the directions apart: a frame reflected back to its sender does not open", () => {
    const { a } = ciphers();
    expect(a.open(a.seal(frame(1)))).toBeUndefined();
  });
});
