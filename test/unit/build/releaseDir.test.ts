import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  prepareReleaseDir,
  releaseFiles,
  writeSums,
  writeSumsSignature,
  // @ts-expect-error: a build script in plain JavaScript, without type declarations
} from "../../../build/lib/releaseDir.mjs";
import { generateSigningKey, signBytes } from "../../../src/upgrade";
import { verifiesWithOpenssl } from "../../support/ed25519";
import { useTempDir } from "../../support/useTempDir";

describe("the release folder", () => {
  const dir = useTempDir();

  it("refuses to empty a folder the release command did not make", () => {
    const mine = join(dir(), "work");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "keep me");
    expect(() => prepareReleaseDir(mine)).toThrow(
      /not empty and was not made by the release command/,
    );
    expect(readFileSync(join(mine, "notes.txt"), "utf8")).toBe("keep me");
  });

  it("empties its own folder from a previous run", () => {
    const out = join(dir(), "release");
    prepareReleaseDir(out);
    writeFileSync(join(out, "old-binary"), "x");
    prepareReleaseDir(out);
    expect(existsSync(join(out, "old-binary"))).toBe(false);
  });

  it("sums every published file, and signs the sums as one line of base64", () => {
    const out = prepareReleaseDir(join(dir(), "signed"));
    writeFileSync(join(out, "b"), "bee");
    writeFileSync(join(out, "a"), "ay");
    mkdirSync(join(out, "macos-pkg"));
    expect(releaseFiles(out)).toEqual(["a", "b"]);
    const text = writeSums(out);
    expect(text).toMatch(/^[0-9a-f]{64} {2}a\n[0-9a-f]{64} {2}b\n$/);
    const key = generateSigningKey("unit");
    writeSumsSignature(out, key, signBytes);
    const sig = readFileSync(join(out, "SHA256SUMS.sig"), "utf8");
    expect(sig.endsWith("\n")).toBe(true);
    const signature = Buffer.from(sig.trim(), "base64");
    expect(verifiesWithOpenssl(key.publicKey, Buffer.from(text), signature)).toBe(true);
    expect(() =>
      writeSumsSignature(out, { ...key, publicKey: generateSigningKey("x").publicKey }, signBytes),
    ).toThrow(/does not verify/);
  });
});
