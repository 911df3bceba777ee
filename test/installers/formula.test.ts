import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/tempDir";
import { type FakeRelease, makeFakeRelease } from "./support/fakeRelease";
import { needs, run } from "./support/tools";

const RENDER = "homebrew/render-formula.mjs";
const BASE = "https://github.com/anode-network/anode/releases/download/v0.1.0";
const ruby = needs(["ruby", "ruby"]);

describe("the Homebrew formula rendered from a release", () => {
  const dir = tempDir("anode-brew-");
  let release: FakeRelease;
  let formula = "";
  const out = () => join(dir.path, "anode.rb");

  beforeAll(() => {
    release = makeFakeRelease(dir.path);
    const r = run(process.execPath, [
      RENDER,
      "--release-dir",
      dir.path,
      "--base-url",
      `${BASE}/`,
      "--out",
      out(),
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    formula = readFileSync(out(), "utf8");
  });
  afterAll(() => dir.remove());

  it("names each platform's URL with its sha256 from SHA256SUMS", () => {
    for (const platform of ["macos-arm64", "macos-x64", "linux-arm64", "linux-x64"]) {
      const name = `anode-${platform}`;
      const block = new RegExp(`url "${BASE}/${name}"\\n\\s+sha256 "([0-9a-f]{64})"`).exec(formula);
      expect(block?.[1], name).toBe(release.sums[name]);
    }
    expect(formula).toContain('version "0.1.0"');
    expect(formula).not.toMatch(/\{\{/);
  });

  it("runs the node as a service and tests the binary", () => {
    expect(formula).toMatch(/service do\n\s+run \[opt_bin\/"anode", "start"/);
    expect(formula).toContain("keep_alive successful_exit: false");
    expect(formula).toMatch(/test do\n\s+assert_match version\.to_s/);
  });

  it.skipIf(ruby.skip)(`passes ruby -c${ruby.why}`, () => {
    const r = run("ruby", ["-c", out()]);
    expect(r.stdout.trim()).toBe("Syntax OK");
    expect(r.code).toBe(0);
  });

  it("refuses a release whose binary does not match SHA256SUMS", () => {
    const bad = tempDir("anode-brew-");
    try {
      makeFakeRelease(bad.path);
      run("sh", ["-c", `echo tampered >> "${join(bad.path, "anode-macos-arm64")}"`]);
      const r = run(process.execPath, [RENDER, "--release-dir", bad.path, "--base-url", BASE]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/anode-macos-arm64 has sha256 .* SHA256SUMS says/);
    } finally {
      bad.remove();
    }
  });

  it("refuses a release that lacks a platform", () => {
    const bad = tempDir("anode-brew-");
    try {
      makeFakeRelease(bad.path);
      run("sh", [
        "-c",
        `grep -v linux-arm64 "${join(bad.path, "SHA256SUMS")}" > "${join(bad.path, "S")}" && mv "${join(bad.path, "S")}" "${join(bad.path, "SHA256SUMS")}"`,
      ]);
      const r = run(process.execPath, [RENDER, "--release-dir", bad.path, "--base-url", BASE]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("lists no anode-linux-arm64");
    } finally {
      bad.remove();
    }
  });
});
