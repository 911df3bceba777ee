import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  readAppState,
  readBinaryTrial,
  settleBinaryTrial,
  writeBinaryTrial,
} from "../../../src/boot";
import { applyStagedBinary } from "../../../src/boot/applyStagedBinary";
import {
  binaryPaths,
  canonicalJson,
  describeArtifact,
  generateSigningKey,
  type SigningKey,
  signManifest,
  stagedBinaryPaths,
  trustedKeyOf,
  writeStagedBinary,
} from "../../../src/upgrade";
import { tempDir } from "../../support/tempDir";

// The root pre-start step of a system service (internal to boot) and the bookkeeping the
// node's boot does after it: what the service account left in the data directory is judged
// from scratch, and only the executable and its .old ever change.
const key = generateSigningKey("release");
const trust = { threshold: 1, keys: [trustedKeyOf(key)] };
const NEW = new TextEncoder().encode("#!new binary 0.3.0\n");

function signedBinary(version: string, bytes: Uint8Array, by: SigningKey = key): string {
  const manifest = {
    format: 1 as const,
    product: "anode" as const,
    version,
    channel: "stable" as const,
    createdAt: "2026-02-01T00:00:00.000Z",
    expiresAt: "2026-06-01T00:00:00.000Z",
    artifacts: [
      {
        kind: "binary" as const,
        platform: "linux-x64" as const,
        name: "anode-linux-x64",
        ...describeArtifact(bytes, 16 * 1024),
      },
    ],
  };
  return canonicalJson({ manifest, signatures: [signManifest(manifest, by)] });
}

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function setUp() {
  const d = tempDir("anode-applybin-");
  dirs.push(d);
  const dataDir = join(d.path, "data");
  const exe = join(d.path, "lib", "anode");
  execFileSync("mkdir", ["-p", dataDir, join(d.path, "lib")]);
  writeFileSync(exe, "#!old binary 0.2.0\n", { mode: 0o755 });
  const apply = (o: { isAlive?: (pid: number) => boolean } = {}) =>
    applyStagedBinary({ dataDir, exe, running: "0.2.0", platform: "linux-x64", trust, ...o });
  return { dataDir, exe, apply, exeText: () => readFileSync(exe, "utf8") };
}

describe("applyStagedBinary()", () => {
  it("does nothing when nothing is staged", () => {
    const s = setUp();
    expect(s.apply()).toEqual({ kind: "none" });
    expect(s.exeText()).toBe("#!old binary 0.2.0\n");
  });

  it("verifies a staged release against its own keys and swaps it in, keeping .old", () => {
    const s = setUp();
    writeStagedBinary(s.dataDir, NEW, signedBinary("0.3.0", NEW));
    expect(s.apply()).toEqual({ kind: "applied", version: "0.3.0" });
    expect(s.exeText()).toBe("#!new binary 0.3.0\n");
    expect(readFileSync(binaryPaths(s.exe).old, "utf8")).toBe("#!old binary 0.2.0\n");
  });

  const refusals: Array<[string, (dataDir: string) => void, RegExp]> = [
    [
      "a manifest signed by a key it does not trust",
      (d) => writeStagedBinary(d, NEW, signedBinary("0.3.0", NEW, generateSigningKey("release"))),
      /does not match|does not trust/,
    ],
    [
      "bytes other than the signed ones",
      (d) => writeStagedBinary(d, new TextEncoder().encode("#!evil\n"), signedBinary("0.3.0", NEW)),
      /do not match binary 0\.3\.0's signed size and SHA-512/,
    ],
    [
      "a validly signed older release (a downgrade)",
      (d) => writeStagedBinary(d, NEW, signedBinary("0.1.0", NEW)),
      /not newer than 0\.2\.0/,
    ],
    [
      "a manifest that is not one",
      (d) => writeStagedBinary(d, NEW, "{}"),
      /Cannot read the release manifest/,
    ],
    [
      "a link in place of the staged bytes (it could point at a file only root may read)",
      (d) => {
        writeStagedBinary(d, NEW, signedBinary("0.3.0", NEW));
        const { bytes } = stagedBinaryPaths(d);
        execFileSync("rm", [bytes]);
        symlinkSync("/etc/hostname", bytes);
      },
      /symbolic link/,
    ],
    [
      "a FIFO in place of the manifest (it would block the step for ever)",
      (d) => execFileSync("mkfifo", [stagedBinaryPaths(d).manifest]),
      /not a regular file/,
    ],
  ];
  it.each(refusals)("refuses %s and leaves the binary alone", (_name, plant, reason) => {
    const s = setUp();
    plant(s.dataDir);
    const outcome = s.apply();
    expect(outcome.kind).toBe("refused");
    expect(outcome.kind === "refused" && outcome.reason).toMatch(reason);
    expect(s.exeText()).toBe("#!old binary 0.2.0\n");
    expect(existsSync(binaryPaths(s.exe).old)).toBe(false);
  });

  it("puts .old back when the binary in place is the one on trial and its node died", () => {
    const s = setUp();
    writeFileSync(binaryPaths(s.exe).old, "#!older binary 0.1.0\n");
    writeBinaryTrial(s.dataDir, { version: "0.2.0", previous: "0.1.0", exe: "/elsewhere", pid: 4 });
    expect(s.apply({ isAlive: () => false })).toEqual({ kind: "restored", version: "0.2.0" });
    // The executable it was run as, never the path the marker (the data directory) names.
    expect(s.exeText()).toBe("#!older binary 0.1.0\n");
    // Bookkeeping is the node's: the marker is still there for its boot.
    expect(readBinaryTrial(s.dataDir)?.version).toBe("0.2.0");
  });

  it("leaves a live trial alone", () => {
    const s = setUp();
    writeFileSync(binaryPaths(s.exe).old, "#!older binary 0.1.0\n");
    writeBinaryTrial(s.dataDir, { version: "0.2.0", previous: "0.1.0", exe: s.exe, pid: 4 });
    expect(s.apply({ isAlive: () => true })).toEqual({ kind: "none" });
    expect(s.exeText()).toBe("#!old binary 0.2.0\n");
  });
});

describe("settleBinaryTrial() after a privileged pre-start step", () => {
  const staged = { trust, platform: "linux-x64" as const };

  it("claims the trial for the new binary and drops the staged copy", () => {
    const s = setUp();
    writeStagedBinary(s.dataDir, NEW, signedBinary("0.3.0", NEW));
    writeBinaryTrial(s.dataDir, { version: "0.3.0", previous: "0.2.0", exe: s.exe });
    expect(settleBinaryTrial(s.dataDir, { running: "0.3.0", pid: 9, staged }).step).toBe("claim");
    expect(existsSync(stagedBinaryPaths(s.dataDir).bytes)).toBe(false);
    expect(readBinaryTrial(s.dataDir)?.pid).toBe(9);
  });

  it("marks a release bad with the step's reason when the old binary still runs", () => {
    const s = setUp();
    writeStagedBinary(s.dataDir, new TextEncoder().encode("#!evil\n"), signedBinary("0.3.0", NEW));
    writeBinaryTrial(s.dataDir, { version: "0.3.0", previous: "0.2.0", exe: s.exe });
    const r = settleBinaryTrial(s.dataDir, { running: "0.2.0", staged });
    expect(r.step).toBe("discard");
    expect(r.refused).toMatch(/pre-start step refused it: .*SHA-512/);
    expect(readAppState(s.dataDir).bad["0.3.0"]).toBe(r.refused);
    expect(existsSync(stagedBinaryPaths(s.dataDir).manifest)).toBe(false);
    expect(readBinaryTrial(s.dataDir)).toBeUndefined();
  });

  it("says so when a valid release was staged but no pre-start step ran", () => {
    const s = setUp();
    writeStagedBinary(s.dataDir, NEW, signedBinary("0.3.0", NEW));
    writeBinaryTrial(s.dataDir, { version: "0.3.0", previous: "0.2.0", exe: s.exe });
    const r = settleBinaryTrial(s.dataDir, { running: "0.2.0", staged });
    expect(r.refused).toMatch(/did not run the pre-start step/);
  });

  it("marks a release bad when the step put .old back after its node died on trial", () => {
    const s = setUp();
    writeBinaryTrial(s.dataDir, { version: "0.3.0", previous: "0.2.0", exe: s.exe, pid: 4 });
    const r = settleBinaryTrial(s.dataDir, {
      running: "0.2.0",
      pid: 9,
      isAlive: () => false,
      staged,
    });
    expect(r.step).toBe("restored");
    expect(readAppState(s.dataDir).bad["0.3.0"]).toMatch(/health window/);
    expect(readBinaryTrial(s.dataDir)).toBeUndefined();
  });

  it("keeps running, marked bad, when it cannot put .old back itself", () => {
    const s = setUp();
    writeBinaryTrial(s.dataDir, { version: "0.2.0", previous: "0.1.0", exe: s.exe, pid: 4 });
    const r = settleBinaryTrial(s.dataDir, { running: "0.2.0", pid: 9, isAlive: () => false });
    expect(r.step).toBe("none");
    expect(r.refused).toMatch(/could not be put back/);
    expect(readAppState(s.dataDir).bad["0.2.0"]).toMatch(/health window/);
  });
});
