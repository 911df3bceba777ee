import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BINARY_LAYER,
  HOST_API_VERSION,
  installAppBundle,
  readAppState,
  writeBinaryTrial,
} from "../../../src/boot";
import { binaryPaths, generateSigningKey, trustedKeyOf } from "../../../src/upgrade";
import { deadPid } from "../../support/deadPid";
import { tempDir } from "../../support/tempDir";
import { signedAppRelease } from "../../support/tinyRelease";

const key = generateSigningKey("boot-main");
const globals = globalThis as Record<string, unknown>;
let bootMain: (argv: string[]) => Promise<number>;

beforeAll(async () => {
  // What the bundler stamps into the binary; bootMain reads them when it is loaded.
  globals.__ANODE_BUILD__ = "v0.1.0-test";
  globals.__ANODE_TRUSTED_KEYS__ = { threshold: 1, keys: [trustedKeyOf(key)] };
  ({ bootMain } = await import("../../../src/boot/bootMain"));
});

const dirs: Array<{ remove(): void }> = [];
const saved = { ...process.env };
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
});

function setUp() {
  const d = tempDir("anode-bootmain-");
  dirs.push(d);
  process.env.ANODE_CACHE_DIR = join(d.path, "cache");
  return join(d.path, "data");
}

describe("bootMain()", () => {
  it("runs the command line in the installed app that verifies against the compiled-in keys", async () => {
    const dataDir = setUp();
    const bundle = new TextEncoder().encode(
      `module.exports = { hostApi: ${HOST_API_VERSION}, binaryLayer: ${JSON.stringify(BINARY_LAYER)}, version: "0.2.0",
        main: async (host, argv) => host.boot.source === "installed" && argv.includes("hello") ? 7 : 1 };`,
    );
    installAppBundle(dataDir, { signed: signedAppRelease("0.2.0", bundle, [key]), bundle });
    expect(await bootMain(["--data-dir", dataDir, "hello"])).toBe(7);
  });

  it("on a node start after the new binary died on trial, puts the old binary back and asks for a restart", async () => {
    const dataDir = setUp();
    const exe = join(dataDir, "..", "anode");
    writeFileSync(exe, "new");
    writeFileSync(binaryPaths(exe).old, "old");
    writeBinaryTrial(dataDir, { version: "0.1.0", previous: "0.0.9", exe, pid: deadPid() });
    const write = process.stderr.write;
    const said: string[] = [];
    process.stderr.write = ((t: string) => said.push(String(t)) > 0) as typeof write;
    try {
      expect(await bootMain(["--data-dir", dataDir, "start"])).toBe(75);
    } finally {
      process.stderr.write = write;
    }
    expect(readFileSync(exe, "utf8")).toBe("old");
    expect(readAppState(dataDir).bad["0.1.0"]).toMatch(/new binary crashed/);
    expect(said.join("")).toContain(
      "anode: binary 0.1.0 did not survive its health window; 0.0.9 is back in place, restarting",
    );
  });
});
