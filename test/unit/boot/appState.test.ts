import { mkdirSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  appLayout,
  installAppBundle,
  listInstalledVersions,
  loadInstalledApp,
  markBad,
  readAppState,
  writeAppState,
} from "../../../src/boot";
import { generateSigningKey, trustedKeyOf } from "../../../src/upgrade";
import { tempDir } from "../../support/tempDir";
import { signedFor } from "./fixtures";

const dirs: Array<{ remove(): void }> = [];
const dataDir = () => {
  const d = tempDir("anode-boot-");
  dirs.push(d);
  return d.path;
};
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe("app state", () => {
  it("reads an absent state file as empty", () => {
    expect(readAppState(dataDir())).toEqual({ bad: {} });
  });

  it("round-trips current, last good and bad versions", () => {
    const dir = dataDir();
    writeAppState(dir, { current: "0.3.0", lastGood: "0.2.0", bad: { "0.2.5": "crashed" } });
    expect(readAppState(dir)).toEqual({
      current: "0.3.0",
      lastGood: "0.2.0",
      bad: { "0.2.5": "crashed" },
    });
  });

  it("markBad() records the reason and stops naming the version current", () => {
    const dir = dataDir();
    writeAppState(dir, { current: "0.3.0", lastGood: "0.2.0", bad: {} });
    expect(markBad(dir, "0.3.0", "failed its health window")).toEqual({
      lastGood: "0.2.0",
      bad: { "0.3.0": "failed its health window" },
    });
  });

  it("reports a malformed state file with its path", () => {
    const dir = dataDir();
    mkdirSync(appLayout(dir).root, { recursive: true });
    writeFileSync(appLayout(dir).stateFile, "{");
    expect(() => readAppState(dir)).toThrow(
      expect.objectContaining({
        code: "BOOT_STATE_INVALID",
        message: expect.stringContaining(appLayout(dir).stateFile),
      }),
    );
  });
});

describe("installAppBundle() and loadInstalledApp()", () => {
  const key = generateSigningKey("k");
  const bundle = new TextEncoder().encode("module.exports = { hostApi: 1 };\n");

  it("installs a release where boot finds and verifies it", () => {
    const dir = dataDir();
    const path = installAppBundle(dir, { signed: signedFor(bundle, "0.4.0", [key]), bundle });
    expect(path).toBe(appLayout(dir).versionDir("0.4.0"));
    expect(listInstalledVersions(dir)).toEqual(["0.4.0"]);
    const app = loadInstalledApp(dir, "0.4.0", {
      trust: { threshold: 1, keys: [trustedKeyOf(key)] },
    });
    expect(Buffer.from(app.bytes)).toEqual(Buffer.from(bundle));
    expect(app.signers).toEqual(["k"]);
  });

  it("lists only directories named like versions", () => {
    const dir = dataDir();
    installAppBundle(dir, { signed: signedFor(bundle, "0.4.0", [key]), bundle });
    mkdirSync(`${appLayout(dir).root}/.install-abc`);
    mkdirSync(`${appLayout(dir).root}/latest`);
    expect(listInstalledVersions(dir)).toEqual(["0.4.0"]);
  });

  it("says which file is missing", () => {
    const dir = dataDir();
    mkdirSync(appLayout(dir).versionDir("0.4.0"), { recursive: true });
    expect(() =>
      loadInstalledApp(dir, "0.4.0", {
        trust: { threshold: 1, keys: [trustedKeyOf(key)] },
      }),
    ).toThrow(
      expect.objectContaining({
        code: "BOOT_BUNDLE_UNREADABLE",
        message: expect.stringContaining("manifest.json"),
      }),
    );
  });
});
