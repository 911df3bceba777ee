import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  binaryTrialStep,
  readAppState,
  readBinaryTrial,
  settleBinaryTrial,
  writeBinaryTrial,
} from "../../../src/boot";
import { binaryPaths } from "../../../src/upgrade";
import { tempDir } from "../../support/tempDir";

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function setUp(pid?: number) {
  const d = tempDir("anode-bintrial-");
  dirs.push(d);
  const exe = join(d.path, "anode");
  writeFileSync(exe, "new binary");
  const marker = { version: "0.3.0", previous: "0.2.0", exe, pid };
  writeBinaryTrial(d.path, marker);
  return { dataDir: d.path, exe, marker };
}

describe("settleBinaryTrial()", () => {
  it("does nothing without a marker", () => {
    const d = tempDir("anode-bintrial-");
    dirs.push(d);
    expect(settleBinaryTrial(d.path, { running: "0.3.0" })).toEqual({
      step: "none",
      marker: undefined,
    });
  });

  it("discards the trial and the staged file when the old binary runs", () => {
    const s = setUp();
    const { staged } = binaryPaths(s.exe);
    writeFileSync(staged, "staged");
    expect(settleBinaryTrial(s.dataDir, { running: "0.2.0" }).step).toBe("discard");
    expect(existsSync(staged)).toBe(false);
    expect(readBinaryTrial(s.dataDir)).toBeUndefined();
  });

  it("lets the new binary's first node claim the trial with its pid", () => {
    const s = setUp();
    expect(settleBinaryTrial(s.dataDir, { running: "0.3.0", pid: 777 }).step).toBe("claim");
    expect(readBinaryTrial(s.dataDir)?.pid).toBe(777);
  });

  it("leaves a trial alone while the claiming process still runs", () => {
    const s = setUp(555);
    const r = settleBinaryTrial(s.dataDir, { running: "0.3.0", pid: 1, isAlive: () => true });
    expect(r.step).toBe("none");
    expect(readBinaryTrial(s.dataDir)?.pid).toBe(555);
  });

  it("puts .old back and marks the release bad when the claiming process died", () => {
    const s = setUp(555);
    writeFileSync(binaryPaths(s.exe).old, "old binary");
    const r = settleBinaryTrial(s.dataDir, { running: "0.3.0", pid: 1, isAlive: () => false });
    expect(r.step).toBe("restore");
    expect(readFileSync(s.exe, "utf8")).toBe("old binary");
    expect(readAppState(s.dataDir).bad["0.3.0"]).toMatch(/new binary crashed/);
    expect(readBinaryTrial(s.dataDir)).toBeUndefined();
  });

  it("binaryTrialStep() decides from the running version, the pid and liveness", () => {
    const marker = { version: "0.3.0", previous: "0.2.0", exe: "/x", pid: 5 };
    expect(binaryTrialStep({ marker: undefined, running: "0.3.0", alive: false })).toBe("none");
    expect(
      binaryTrialStep({ marker: { ...marker, pid: undefined }, running: "0.2.0", alive: false }),
    ).toBe("discard");
    expect(binaryTrialStep({ marker, running: "0.2.0", alive: false })).toBe("restored");
    expect(binaryTrialStep({ marker, running: "0.2.0", alive: true })).toBe("none");
    expect(
      binaryTrialStep({ marker: { ...marker, pid: undefined }, running: "0.3.0", alive: false }),
    ).toBe("claim");
    expect(binaryTrialStep({ marker, running: "0.3.0", alive: true })).toBe("none");
    expect(binaryTrialStep({ marker, running: "0.3.0", alive: false })).toBe("restore");
  });
});
