import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  clearTrialMarker,
  readAppState,
  readTrialMarker,
  settleTrial,
  trialMarkerFile,
  writeTrialMarker,
} from "../../../src/boot";
import { pidAlive, trialAlive } from "../../../src/boot/trialMarker";
import { deadPid } from "../../support/deadPid";
import { tempDir } from "../../support/tempDir";

const dirs: Array<{ remove(): void }> = [];
const dataDir = () => {
  const d = tempDir("anode-trial-");
  dirs.push(d);
  return d.path;
};
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const marker = (pid: number) => ({ version: "0.3.0", previous: "0.2.0", pid, startedAt: 5 });

describe("trial marker", () => {
  it("round-trips, and is gone once cleared", () => {
    const dir = dataDir();
    expect(readTrialMarker(dir)).toBeUndefined();
    writeTrialMarker(dir, marker(123));
    expect(readTrialMarker(dir)).toEqual(marker(123));
    clearTrialMarker(dir);
    expect(readTrialMarker(dir)).toBeUndefined();
  });

  it("reads a marker without previous or startedAt with defaults, and ignores one without a pid or that is not JSON", () => {
    const dir = dataDir();
    writeTrialMarker(dir, marker(1));
    writeFileSync(trialMarkerFile(dir), JSON.stringify({ version: "0.3.0", pid: 9 }));
    expect(readTrialMarker(dir)).toEqual({ version: "0.3.0", previous: "", pid: 9, startedAt: 0 });
    writeFileSync(trialMarkerFile(dir), JSON.stringify({ version: "0.3.0" }));
    expect(readTrialMarker(dir)).toBeUndefined();
    writeFileSync(trialMarkerFile(dir), "{");
    expect(readTrialMarker(dir)).toBeUndefined();
  });

  it("pidAlive() tells a running process from one that exited; trialAlive() asks about the marker's", () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(deadPid())).toBe(false);
    const asked: number[] = [];
    expect(trialAlive(marker(42), (pid) => asked.push(pid) > 0)).toBe(true);
    expect(asked).toEqual([42]);
  });
});

describe("settleTrial()", () => {
  it("marks the release of a trial whose process is gone bad and clears the marker", () => {
    const dir = dataDir();
    writeTrialMarker(dir, marker(deadPid()));
    expect(settleTrial(dir)).toBe("0.3.0");
    expect(readAppState(dir).bad["0.3.0"]).toMatch(/health window/);
    expect(readTrialMarker(dir)).toBeUndefined();
  });

  it("leaves a trial alone while another live process runs it", () => {
    const dir = dataDir();
    writeTrialMarker(dir, marker(4242));
    expect(settleTrial(dir, () => true)).toBeUndefined();
    expect(readTrialMarker(dir)).toEqual(marker(4242));
    expect(readAppState(dir).bad).toEqual({});
  });

  it("settles a marker naming this very process (a previous process with the same pid)", () => {
    const dir = dataDir();
    writeTrialMarker(dir, marker(process.pid));
    expect(settleTrial(dir, () => true)).toBe("0.3.0");
  });

  it("does nothing without a marker", () => {
    expect(settleTrial(dataDir())).toBeUndefined();
  });
});
