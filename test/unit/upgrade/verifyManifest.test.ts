import { describe, expect, it } from "vitest";
import {
  decodeBase64,
  encodeBase64,
  type ManifestSignature,
  parseSignedManifest,
  signManifest,
  verifyManifest,
} from "../../../src/upgrade";
import { nonCanonical } from "../../support/craftManifest";
import { keys, NOW, sampleManifest, trustOf } from "./fixtures";

const [a, b, c, stranger] = keys(4) as [
  ReturnType<typeof keys>[number],
  ReturnType<typeof keys>[number],
  ReturnType<typeof keys>[number],
  ReturnType<typeof keys>[number],
];
const manifest = sampleManifest();
const sig = (k: typeof a, m = manifest) => signManifest(m, k);
const forged = (keyId: string): ManifestSignature => ({
  keyId,
  signature: encodeBase64(new Uint8Array(64).fill(1)),
});

describe("verifyManifest()", () => {
  type Case = [string, ManifestSignature[], number, string | string[]];
  const cases: Case[] = [
    ["one of one", [sig(a)], 1, ["key-0"]],
    ["two of three", [sig(a), sig(c)], 2, ["key-0", "key-2"]],
    ["extra signatures by unknown keys are ignored", [sig(stranger), sig(b)], 1, ["key-1"]],
    ["the same key twice counts once", [sig(a), sig(a)], 2, "MANIFEST_TOO_FEW_SIGNATURES"],
    ["no signatures", [], 1, "MANIFEST_TOO_FEW_SIGNATURES"],
    ["only an unknown key", [sig(stranger)], 1, "MANIFEST_UNKNOWN_KEY"],
    ["one of two needed", [sig(b)], 2, "MANIFEST_TOO_FEW_SIGNATURES"],
    [
      "a trusted key id with a wrong signature",
      [sig(b), forged("key-0")],
      1,
      "MANIFEST_BAD_SIGNATURE",
    ],
    [
      "a signature over another manifest",
      [sig(a, sampleManifest({ version: "0.2.1" }))],
      1,
      "MANIFEST_BAD_SIGNATURE",
    ],
  ];
  it.each(cases)("%s", (_name, signatures, threshold, expected) => {
    const trust = trustOf([a, b, c], threshold);
    const run = () => verifyManifest(manifest, signatures, trust, { now: NOW });
    if (Array.isArray(expected)) expect(run().signers.sort()).toEqual(expected);
    else expect(run).toThrow(expect.objectContaining({ code: expected }));
  });

  it("refuses a manifest whose signed content was altered", () => {
    const s = sig(a);
    const altered = sampleManifest({ channel: "beta" });
    expect(() => verifyManifest(altered, [s], trustOf([a]), { now: NOW })).toThrow(
      expect.objectContaining({ code: "MANIFEST_BAD_SIGNATURE" }),
    );
  });

  it("refuses an expired manifest even when it is well signed", () => {
    const now = Date.parse(manifest.expiresAt);
    expect(() => verifyManifest(manifest, [sig(a)], trustOf([a]), { now })).toThrow(
      expect.objectContaining({ code: "MANIFEST_EXPIRED" }),
    );
  });

  it("refuses a manifest that lives too long unless told to check only the signatures (boot)", () => {
    const forever = sampleManifest({ expiresAt: "9999-12-31T23:59:59.000Z" });
    expect(() => verifyManifest(forever, [sig(a, forever)], trustOf([a]), { now: NOW })).toThrow(
      expect.objectContaining({ code: "MANIFEST_TOO_LONG_LIVED" }),
    );
    const booted = verifyManifest(forever, [sig(a, forever)], trustOf([a]), {
      now: NOW,
      checkExpiry: false,
    });
    expect(booted.signers).toEqual([a.id]);
  });

  it("verifies a manifest that went through its JSON file form", () => {
    const file = JSON.stringify({ manifest, signatures: [sig(a)] }, null, 2);
    const parsed = parseSignedManifest(file);
    expect(
      verifyManifest(parsed.manifest, parsed.signatures, trustOf([a]), { now: NOW }).signers,
    ).toEqual(["key-0"]);
  });

  it("says which key and version in its message", () => {
    expect(() => verifyManifest(manifest, [forged("key-0")], trustOf([a]), { now: NOW })).toThrow(
      "Cannot accept release 0.2.0: the signature by key key-0 does not match the manifest",
    );
  });

  it("counts one public key once toward k, whatever ids the trust list gives it", () => {
    // A trust list that did not go through parseTrustedKeys (which refuses this).
    const twice = {
      threshold: 2,
      keys: [trustOf([a]).keys[0], { ...trustOf([a]).keys[0], id: "key-0-again" }] as Array<{
        id: string;
        publicKey: string;
      }>,
    };
    const signatures = [sig(a), { ...sig(a), keyId: "key-0-again" }];
    expect(() => verifyManifest(manifest, signatures, twice, { now: NOW })).toThrow(
      expect.objectContaining({
        code: "MANIFEST_TOO_FEW_SIGNATURES",
        type: expect.objectContaining({ valid: 1, threshold: 2 }),
      }),
    );
  });

  it("refuses a signature whose S is not reduced (S + L), which tweetnacl alone accepts", async () => {
    const nacl = (await import("tweetnacl")).default;
    const { signingBytes } = await import("../../../src/upgrade");
    const odd = nonCanonical(sig(a));
    // The proof that this is a real, otherwise valid signature: the plain check passes it.
    expect(
      nacl.sign.detached.verify(
        signingBytes(manifest),
        decodeBase64(odd.signature) as Uint8Array,
        decodeBase64(trustOf([a]).keys[0]?.publicKey as string) as Uint8Array,
      ),
    ).toBe(true);
    expect(odd.signature).not.toBe(sig(a).signature);
    expect(() => verifyManifest(manifest, [odd], trustOf([a]), { now: NOW })).toThrow(
      expect.objectContaining({
        code: "MANIFEST_BAD_SIGNATURE",
        type: expect.objectContaining({ keyId: "key-0" }),
      }),
    );
  });
});
