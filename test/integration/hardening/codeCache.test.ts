import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { HOST_API_VERSION } from "../../../src/boot";
import { useHostileNode } from "../../support/hostileNode";
import { runCli } from "../../support/nodeProcess";

const MARK = "FORGED-CODE-CACHE-RAN";

/**
 * V8 bytecode for a script as long as the app bundle that prints MARK and exits 0: made in
 * a plain Node child (the same Node and flags as the CLI processes), because V8 checks
 * little more than a cache's source length and its own version and flags.
 */
function forgeCodeCache(appFile: string, out: string): void {
  const maker = `
    const { Script } = require("node:vm");
    const fs = require("node:fs");
    const wrap = (c) => "(function (exports, require, module, __filename, __dirname) {" + c + "\\n})";
    const real = fs.readFileSync(${JSON.stringify(appFile)}, "utf8");
    const evil = ${JSON.stringify(
      `process.stdout.write("${MARK}\\n"); module.exports = { hostApi: ${HOST_API_VERSION}, main: Promise.resolve.bind(Promise, 0) };`,
    )};
    const text = evil + " ".repeat(real.length - evil.length);
    const s = new Script(wrap(text));
    s.runInThisContext();
    fs.writeFileSync(${JSON.stringify(out)}, s.createCachedData());`;
  execFileSync(process.execPath, ["-e", maker]);
}

describe("a code cache planted in a writable folder", () => {
  const node = useHostileNode();

  it("never runs in place of the verified app: the CLI and the node run the real code", async () => {
    const n = node();
    const before = n.snapshot();
    const cacheDir = join(n.workDir, "cache");
    const app = resolve("dist/app.cjs");
    const hash = createHash("sha256").update(readFileSync(app)).digest("hex").slice(0, 32);
    // Where boot used to look: `<cache dir>/code/<hash of the bundle>-<node>-<arch>.v8`.
    mkdirSync(join(cacheDir, "code"), { recursive: true });
    const planted = join(cacheDir, "code", `${hash}-${process.version}-${process.arch}.v8`);
    forgeCodeCache(app, planted);
    const env = { ANODE_CACHE_DIR: cacheDir, XDG_CACHE_HOME: cacheDir };

    const version = await runCli(["--version"], { env });
    expect(version.stdout).not.toContain(MARK);
    expect(version.stdout).toMatch(/\d+\.\d+\.\d+/);
    const flags = ["--data-dir", n.dataDir, "--api-port", String(n.apiPort)];
    const status = await runCli([...flags, "status", "--json"], { env });
    expect(status.stdout).not.toContain(MARK);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ pid: n.proc.pid });
    // The planted file is where it was put, untouched, and nothing else was written.
    expect(readFileSync(planted).byteLength).toBeGreaterThan(0);
    await n.expectUnharmed(before);
  });
});
