import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AppHost,
  appLayout,
  BINARY_LAYER,
  HOST_API_VERSION,
  installAppBundle,
  readAppState,
  writeAppState,
  writeTrialMarker,
} from "../../../src/boot";
import { selectApp } from "../../../src/boot/selectApp";
import { generateSigningKey, trustedKeyOf, writeUpgradeState } from "../../../src/upgrade";
import { deadPid } from "../../support/deadPid";
import { tempDir } from "../../support/tempDir";
import { NOW, signedFor } from "./fixtures";

const key = generateSigningKey("boot-key");
const trust = { threshold: 1, keys: [trustedKeyOf(key)] };
const host = { hostApi: HOST_API_VERSION, version: "0.1.0", trust } as unknown as AppHost;
const bundle = (version: string) =>
  new TextEncoder().encode(
    `module.exports = { hostApi: ${HOST_API_VERSION}, binaryLayer: ${JSON.stringify(BINARY_LAYER)}, version: "${version}", main: async () => 7 };`,
  );

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function setUp() {
  const data = tempDir("anode-select-");
  dirs.push(data);
  const warnings: string[] = [];
  const install = (version: string, over: { expiresAt?: string } = {}) =>
    installAppBundle(data.path, {
      signed: signedFor(bundle(version), version, [key], over),
      bundle: bundle(version),
    });
  const floor = (bootFloor: string) =>
    writeUpgradeState(data.path, { bootFloor, highestAccepted: bootFloor, known: {}, bad: {} });
  const select = () =>
    selectApp({
      dataDir: data.path,
      embeddedVersion: "0.1.0",
      build: "test-build",
      trust,
      host,
      warn: (line) => warnings.push(line),
    });
  return { dataDir: data.path, warnings, install, select, floor };
}

describe("selectApp()", () => {
  it("boots the current installed release that verifies, naming its path and signers", async () => {
    const s = setUp();
    s.install("0.2.0");
    s.install("0.3.0");
    writeAppState(s.dataDir, { current: "0.2.0", bad: {} });
    const { app, info, cacheUsed } = s.select();
    expect(info).toEqual({
      source: "installed",
      appVersion: "0.2.0",
      path: appLayout(s.dataDir).bundleFile("0.2.0"),
      signers: ["boot-key"],
      binaryVersion: "0.1.0",
      build: "test-build",
      refused: [],
    });
    expect(await app.main(host, [])).toBe(7);
    expect(cacheUsed).toBe(false);
    expect(s.warnings).toEqual([]);
  });

  it("refuses a tampered newest bundle with its reason and boots the next candidate", () => {
    const s = setUp();
    s.install("0.2.0");
    s.install("0.3.0");
    writeFileSync(appLayout(s.dataDir).bundleFile("0.3.0"), "module.exports = {};");
    const { info } = s.select();
    expect(info.appVersion).toBe("0.2.0");
    expect(info.refused).toEqual([{ version: "0.3.0", reason: expect.any(String) }]);
    expect(s.warnings).toEqual([
      expect.stringMatching(/^anode: refused app bundle 0\.3\.0 in .*; trying 0\.2\.0$/),
    ]);
  });

  it("refuses a signed bundle built against other binary-layer code (a binary release is needed) and boots the next candidate", () => {
    const s = setUp();
    s.install("0.2.0");
    const other = new TextEncoder().encode(
      `module.exports = { hostApi: ${HOST_API_VERSION}, binaryLayer: "${"0".repeat(64)}", version: "0.3.0", main: async () => 7 };`,
    );
    installAppBundle(s.dataDir, { signed: signedFor(other, "0.3.0", [key]), bundle: other });
    const { info } = s.select();
    expect(info.appVersion).toBe("0.2.0");
    expect(info.refused).toEqual([
      {
        version: "0.3.0",
        reason:
          "it was built against different binary-layer code (boot/runtime); a binary release is needed",
      },
    ]);
    expect(s.warnings).toEqual([
      expect.stringMatching(/^anode: refused app bundle 0\.3\.0 in .*; trying 0\.2\.0$/),
    ]);
  });

  it("marks a release that crashed on trial bad and never boots it", () => {
    const s = setUp();
    s.install("0.2.0");
    s.install("0.3.0");
    writeTrialMarker(s.dataDir, {
      version: "0.3.0",
      previous: "0.2.0",
      pid: deadPid(),
      startedAt: NOW,
    });
    const { info } = s.select();
    expect(info.appVersion).toBe("0.2.0");
    expect(readAppState(s.dataDir).bad["0.3.0"]).toMatch(/crashed or was stopped/);
    expect(s.warnings).toEqual([
      "anode: app release 0.3.0 did not survive its health window; marked bad, never booted again",
    ]);
  });

  it("falls back to the embedded app when the state file is malformed or every bundle is refused", () => {
    const s = setUp();
    s.install("0.2.0");
    writeFileSync(appLayout(s.dataDir).stateFile, "{not json");
    // Run from source there is no embedded app.cjs beside boot: reading it is what fails.
    expect(() => s.select()).toThrow(/app\.cjs/);
    expect(s.warnings).toEqual([
      expect.stringMatching(/^anode: .*; booting the embedded app 0\.1\.0$/),
    ]);

    const t = setUp();
    t.install("0.2.0");
    writeFileSync(appLayout(t.dataDir).bundleFile("0.2.0"), "tampered");
    expect(() => t.select()).toThrow(/app\.cjs/);
    expect(t.warnings).toEqual([
      expect.stringMatching(/refused app bundle 0\.2\.0 .*; booting the embedded app 0\.1\.0$/),
    ]);
  });

  it("boots an installed release whose manifest expired long ago (expiry stops intake, not running)", () => {
    const s = setUp();
    s.install("0.2.0", { expiresAt: "2026-02-02T00:00:00.000Z" });
    expect(s.select().info.appVersion).toBe("0.2.0");
    expect(s.warnings).toEqual([]);
  });

  it("refuses state.json naming a release below the boot floor, with a reason, and boots the floor's release", () => {
    const s = setUp();
    s.install("0.2.0");
    s.install("0.3.0");
    s.floor("0.3.0");
    writeAppState(s.dataDir, { current: "0.2.0", lastGood: "0.2.0", bad: {} });
    const { info } = s.select();
    expect(info.appVersion).toBe("0.3.0");
    expect(info.refused).toEqual([
      { version: "0.2.0", reason: expect.stringMatching(/^it is older than 0\.3\.0, the highest/) },
    ]);
    expect(s.warnings).toEqual([
      expect.stringMatching(
        /^anode: refused app bundle 0\.2\.0 in .*: it is older than 0\.3\.0, .*; trying 0\.3\.0$/,
      ),
    ]);
  });

  it("boots the newest release above the floor when the floor's own release is refused", () => {
    const s = setUp();
    s.install("0.3.0");
    s.install("0.4.0");
    s.floor("0.3.0");
    writeFileSync(appLayout(s.dataDir).bundleFile("0.4.0"), "tampered");
    expect(s.select().info.appVersion).toBe("0.3.0");
  });

  it("never falls back to an older installed release: below the floor it is the embedded app, loudly", () => {
    const s = setUp();
    s.install("0.2.0");
    s.install("0.3.0");
    s.floor("0.3.0");
    writeAppState(s.dataDir, { current: "0.3.0", bad: { "0.3.0": "equivocation" } });
    // Run from source there is no embedded app.cjs beside boot: reading it is what fails.
    expect(() => s.select()).toThrow(/app\.cjs/);
    expect(s.warnings).toEqual([
      expect.stringMatching(
        /^anode: WARNING: no installed app release at or above 0\.3\.0 .* running the embedded app 0\.1\.0, which is OLDER/,
      ),
    ]);
  });
});
