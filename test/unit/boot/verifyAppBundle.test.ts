import { describe, expect, it } from "vitest";
import { verifyAppBundle } from "../../../src/boot";
import { generateSigningKey, trustedKeyOf } from "../../../src/upgrade";
import { encode, signedFor } from "./fixtures";

const key = generateSigningKey("release-1");
const other = generateSigningKey("other");
const trust = { threshold: 1, keys: [trustedKeyOf(key)] };
const bundle = new TextEncoder().encode("module.exports = {};\n".repeat(2000));
const opts = { version: "0.2.0", trust };

describe("verifyAppBundle()", () => {
  it("accepts a bundle whose signed manifest lists its exact bytes", () => {
    const result = verifyAppBundle(encode(signedFor(bundle, "0.2.0", [key])), bundle, opts);
    expect(result.signers).toEqual(["release-1"]);
    expect(result.artifact.engines).toEqual({ mempool: "1.0.0" });
  });

  it("accepts a bundle whose manifest expired since it was accepted (expiry stops intake, not running)", () => {
    const expired = signedFor(bundle, "0.2.0", [key], { expiresAt: "2026-02-15T00:00:00.000Z" });
    expect(verifyAppBundle(encode(expired), bundle, opts).signers).toEqual(["release-1"]);
  });

  const flipped = bundle.slice();
  flipped[10] = (flipped[10] as number) ^ 1;
  type Case = [string, Uint8Array, Uint8Array, string, RegExp];
  const cases: Case[] = [
    [
      "one flipped bit",
      encode(signedFor(bundle, "0.2.0", [key])),
      flipped,
      "BOOT_HASH_MISMATCH",
      /its SHA-512 does not match the signed manifest$/,
    ],
    [
      "extra bytes",
      encode(signedFor(bundle, "0.2.0", [key])),
      new Uint8Array([...bundle, 10]),
      "BOOT_SIZE_MISMATCH",
      /is 42001 bytes, the signed manifest says 42000$/,
    ],
    [
      "an untrusted signer",
      encode(signedFor(bundle, "0.2.0", [other])),
      bundle,
      "BOOT_MANIFEST_REFUSED",
      /signed only by keys this node does not trust \(other\)$/,
    ],
    [
      "no signature",
      encode(signedFor(bundle, "0.2.0", [])),
      bundle,
      "BOOT_MANIFEST_REFUSED",
      /0 trusted signature\(s\), 1 needed$/,
    ],
    [
      "a manifest for another version",
      encode(signedFor(bundle, "0.2.0", [key], { manifestVersion: "0.9.0" })),
      bundle,
      "BOOT_WRONG_VERSION",
      /its manifest is for version 0.9.0$/,
    ],
    [
      "another host API",
      encode(signedFor(bundle, "0.2.0", [key], { hostApi: 3 })),
      bundle,
      "BOOT_HOST_API_MISMATCH",
      /needs host API 3, this binary has 2$/,
    ],
    [
      "a manifest that is not JSON",
      new TextEncoder().encode("{"),
      bundle,
      "BOOT_MANIFEST_REFUSED",
      /it is not JSON/,
    ],
  ];
  it.each(cases)("refuses %s", (_name, manifest, bytes, code, message) => {
    expect(() => verifyAppBundle(manifest, bytes, opts)).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });

  it("refuses a manifest altered after signing", () => {
    const signed = signedFor(bundle, "0.2.0", [key]);
    signed.manifest.channel = "beta";
    expect(() => verifyAppBundle(encode(signed), bundle, opts)).toThrow(
      expect.objectContaining({
        code: "BOOT_MANIFEST_REFUSED",
        message: expect.stringMatching(/signature by key release-1 does not match/),
      }),
    );
  });
});
