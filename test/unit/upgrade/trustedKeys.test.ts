import { describe, expect, it } from "vitest";
import { parseSigningKey, parseTrustedKeys, trustedKeyOf } from "../../../src/upgrade";
import { keys } from "./fixtures";

const [k1, k2] = keys(2) as [ReturnType<typeof keys>[number], ReturnType<typeof keys>[number]];

describe("parseTrustedKeys()", () => {
  it("accepts k of n keys", () => {
    const trust = { threshold: 2, keys: [trustedKeyOf(k1), trustedKeyOf(k2)] };
    expect(parseTrustedKeys(trust)).toEqual(trust);
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ["no keys", { threshold: 1, keys: [] }, /non-empty/],
    ["a zero threshold", { threshold: 0, keys: [trustedKeyOf(k1)] }, /positive integer/],
    ["a threshold above n", { threshold: 2, keys: [trustedKeyOf(k1)] }, /more than the 1 keys/],
    ["a short public key", { threshold: 1, keys: [{ id: "a", publicKey: "AAAA" }] }, /publicKey/],
    [
      "non-canonical base64",
      { threshold: 1, keys: [{ id: "a", publicKey: `${k1.publicKey.slice(0, -1)}!` }] },
      /publicKey/,
    ],
    [
      "a duplicate id",
      { threshold: 1, keys: [trustedKeyOf(k1), { ...trustedKeyOf(k2), id: k1.id }] },
      /appears twice/,
    ],
    [
      "one public key under two ids (it would count twice toward k)",
      { threshold: 2, keys: [trustedKeyOf(k1), { ...trustedKeyOf(k1), id: "k1-again" }] },
      /keys\[1\]\.publicKey is the same key as keys\[0\] \(key-0\)/,
    ],
    [
      "a bad id",
      { threshold: 1, keys: [{ ...trustedKeyOf(k1), id: "a b" }] },
      /id is not a key id/,
    ],
  ];
  it.each(cases)("refuses %s", (_name, value, message) => {
    expect(() => parseTrustedKeys(value)).toThrow(
      expect.objectContaining({
        code: "MANIFEST_TRUST_INVALID",
        message: expect.stringMatching(message),
      }),
    );
  });
});

describe("parseSigningKey()", () => {
  it("derives the public key from the secret key", () => {
    expect(parseSigningKey({ id: k1.id, secretKey: k1.secretKey })).toEqual(k1);
  });

  it("refuses a file without a 64-byte secret key", () => {
    expect(() => parseSigningKey({ id: "x", secretKey: "AAAA" })).toThrow(
      /Cannot use the signing key/,
    );
  });
});
