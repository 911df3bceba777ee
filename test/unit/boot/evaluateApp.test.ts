import { describe, expect, it } from "vitest";
import { type AppHost, BINARY_LAYER, HOST_MODULES } from "../../../src/boot";
import { evaluateApp } from "../../../src/boot/evaluateApp";

// evaluateApp is internal to boot (the binary's entry uses it); tested here directly
// because it is where the host contract is enforced.
const host = {
  hostApi: 2,
  version: "0.1.0",
  runtime: { marker: "runtime" },
  errors: { marker: "errors" },
  Level: class FakeLevel {},
  trust: { threshold: 1, keys: [] },
  boot: {},
} as unknown as AppHost;
const bytes = (code: string) => new TextEncoder().encode(code);
const evaluate = (code: string, cachedData?: Uint8Array) =>
  evaluateApp(bytes(code), {
    filename: "/virtual/app.cjs",
    version: "0.2.0",
    host,
    // The binary-layer check has its own tests below; these bundles carry no digest.
    binaryLayer: null,
    ...(cachedData ? { cachedData } : {}),
  });

describe("evaluateApp()", () => {
  it("serves host modules and built-ins to the bundle's require", async () => {
    const { app } = evaluate(`
      module.exports = { hostApi: 2, version: "0.2.0", main: async () => [
        require("${HOST_MODULES.runtime}").marker,
        require("${HOST_MODULES.errors}").marker,
        typeof require("${HOST_MODULES.verify}").verifyManifest,
        require("${HOST_MODULES.level}").ClassicLevel.name,
        typeof require("node:path").join,
        __filename,
      ].join(" ") };`);
    expect(await app.main(host, [])).toBe(
      "runtime errors function FakeLevel function /virtual/app.cjs",
    );
  });

  it("decodes an ASCII bundle and one with UTF-8 text alike", async () => {
    for (const text of ["plain", "héllo ✓"]) {
      const { app } = evaluate(
        `module.exports = { hostApi: 2, version: "0.2.0", main: async () => ${JSON.stringify(text)} };`,
      );
      expect(await app.main(host, [])).toBe(text);
    }
  });

  it("gives MODULE_NOT_FOUND for anything on disk, as optional imports expect", () => {
    const { app } = evaluate(`
      let code; try { require("bufferutil"); } catch (e) { code = e.code; }
      module.exports = { hostApi: 2, version: "0.2.0", main: async () => code };`);
    return expect(app.main(host, [])).resolves.toBe("MODULE_NOT_FOUND");
  });

  type Case = [string, string, RegExp];
  const cases: Case[] = [
    ["a bundle that throws while loading", "throw new Error('boom')", /evaluating it threw: boom/],
    ["a syntax error", "module.exports = {", /evaluating it threw/],
    ["a bundle without main()", "module.exports = { hostApi: 2 }", /it exports no main\(\)/],
    [
      "a bundle for another host API",
      "module.exports = { hostApi: 3, main() {} }",
      /built for host API 3, this binary has 2/,
    ],
  ];
  it.each(cases)("refuses %s", (_name, code, message) => {
    expect(() => evaluate(code)).toThrow(
      expect.objectContaining({
        code: "BOOT_EVAL_FAILED",
        message: expect.stringMatching(message),
      }),
    );
  });

  it("starts from the code cache it is given and says so", async () => {
    const code = "module.exports = { hostApi: 2, main: async () => 7 };";
    const first = evaluate(code);
    expect(first.cacheUsed).toBe(false);
    const second = evaluate(code, first.createCachedData());
    expect(second.cacheUsed).toBe(true);
    expect(await second.app.main(host, [])).toBe(7);
  });

  it("runs whatever a code cache holds when only the lengths match: why boot takes one only from inside the executable", async () => {
    // The reason no cache file is ever read: V8 checks the source's length, not its text.
    // A text no other test compiles: V8 reuses a script it already compiled in this process.
    const real = "module.exports = { hostApi: 2, main: async () => 8 };";
    // Top-level code only: inner functions compile lazily, from the real text.
    const evil = "module.exports = { hostApi: 2, main: Math.max };".padEnd(real.length, " ");
    const hijacked = evaluate(real, evaluate(evil).createCachedData());
    expect(hijacked.cacheUsed).toBe(true);
    expect(await hijacked.app.main(host, [])).not.toBe(8);
  });

  describe("the binary layer a bundle was built against", () => {
    const built = (digest: string) =>
      `module.exports = { hostApi: 2, binaryLayer: ${JSON.stringify(digest)}, main: async () => 9 };`;
    const run = (code: string, o: { binaryLayer?: string | null } = {}) =>
      evaluateApp(bytes(code), { filename: "/virtual/app.cjs", version: "0.2.0", host, ...o });

    it("runs a bundle built against this binary's own binary layer (the default)", async () => {
      expect(await run(built(BINARY_LAYER)).app.main(host, [])).toBe(9);
    });

    it.each([
      ["other binary-layer sources", built("0".repeat(64))],
      ["no digest at all", "module.exports = { hostApi: 2, main: async () => 9 };"],
    ])("refuses a bundle built against %s: a binary release is needed", (_what, code) => {
      expect(() => run(code)).toThrow(
        expect.objectContaining({
          code: "BOOT_EVAL_FAILED",
          message:
            "Cannot boot app bundle 0.2.0: it was built against different binary-layer code (boot/runtime); a binary release is needed",
        }),
      );
    });

    it("reads any bundle when told not to check (release sign never runs it)", () => {
      expect(run(built("0".repeat(64)), { binaryLayer: null }).app.hostApi).toBe(2);
    });
  });
});
