import { describe, expect, it } from "vitest";
import {
  encodeBase64,
  type ManifestSignature,
  parseSignedManifest,
  signManifest,
  verifyManifest,
} from "../../../src/upgrade";
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
});
