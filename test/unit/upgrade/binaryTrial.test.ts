import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type BinaryTrialInput,
  type BinaryTrialStep,
  binaryTrialStep,
  isNodeStart,
  RESTART_EXIT_CODE,
  readAppState,
  readBinaryTrial,
  settleBinaryTrial,
  writeBinaryTrial,
} from "../../../src/boot";
import { RESTART_EXIT_CODE as SERVICE_RESTART_EXIT_CODE } from "../../../src/service";
import { stageBinary, swapBinary } from "../../../src/upgrade";
import { tempDir } from "../../support/tempDir";

const marker = { version: "2.0.0", previous: "1.0.0", exe: "/x/anode" };

describe("binaryTrialStep()", () => {
  const cases: Array<[string, BinaryTrialInput, BinaryTrialStep]> = [
    ["no marker", { marker: undefined, running: "1.0.0", alive: false }, "none"],
    [
      "old binary runs: rename never happened",
      { marker, running: "1.0.0", alive: false },
      "discard",
    ],
    ["new binary's first start", { marker, running: "2.0.0", alive: false }, "claim"],
    [
      "new binary's node still on trial",
      { marker: { ...marker, pid: 5 }, running: "2.0.0", alive: true },
      "none",
    ],
    [
      "new binary's node died on trial",
      { marker: { ...marker, pid: 5 }, running: "2.0.0", alive: false },
      "restore",
    ],
    [
      // A privileged pre-start step put .old back (or a restore crashed before the
      // marker went): the new binary ran and died, so the release is marked bad.
      "restored old binary starts",
      { marker: { ...marker, pid: 5 }, running: "1.0.0", alive: false },
      "restored",
    ],
    [
      "old binary starts while the new one's node still runs",
      { marker: { ...marker, pid: 5 }, running: "1.0.0", alive: true },
      "none",
    ],
  ];
  it.each(cases)("%s", (_name, input, step) => {
    expect(binaryTrialStep(input)).toBe(step);
  });
});

describe("settleBinaryTrial()", () => {
  const setup = () => {
    const dir = tempDir("anode-bintrial-");
    const exe = join(dir.path, "anode");
    writeFileSync(exe, "OLD", { mode: 0o755 });
    stageBinary(exe, new TextEncoder().encode("NEW"));
    return { dir, exe, dataDir: join(dir.path, "data") };
  };

  it("claims the trial on the new binary's first start, then restores .old after it died", () => {
    const { dir, exe, dataDir } = setup();
    try {
      writeBinaryTrial(dataDir, { version: "2.0.0", previous: "1.0.0", exe });
      swapBinary(exe);
      expect(settleBinaryTrial(dataDir, { running: "2.0.0", pid: 100 }).step).toBe("claim");
      expect(readBinaryTrial(dataDir)?.pid).toBe(100);
      const settled = settleBinaryTrial(dataDir, {
        running: "2.0.0",
        pid: 101,
        isAlive: () => false,
      });
      expect(settled.step).toBe("restore");
      expect(readFileSync(exe, "utf8")).toBe("OLD");
      expect(readBinaryTrial(dataDir)).toBeUndefined();
      expect(readAppState(dataDir).bad["2.0.0"]).toMatch(/health window/);
    } finally {
      dir.remove();
    }
  });

  it("discards a trial whose rename never happened, removing the staged file", () => {
    const { dir, exe, dataDir } = setup();
    try {
      writeBinaryTrial(dataDir, { version: "2.0.0", previous: "1.0.0", exe });
      expect(settleBinaryTrial(dataDir, { running: "1.0.0" }).step).toBe("discard");
      expect(existsSync(join(dir.path, ".anode.new"))).toBe(false);
      expect(readFileSync(exe, "utf8")).toBe("OLD");
      expect(readBinaryTrial(dataDir)).toBeUndefined();
    } finally {
      dir.remove();
    }
  });
});

describe("isNodeStart()", () => {
  it.each([
    [["start"], {}, true],
    [["--data-dir", "d", "start"], {}, true],
    [["start"], { ANODE_SUPERVISE: "1" }, false],
    [["start"], { ANODE_SUPERVISE: "child" }, true],
    [["upgrade", "status"], {}, false],
  ] as Array<[string[], NodeJS.ProcessEnv, boolean]>)("%j with %j is %s", (argv, env, expected) => {
    expect(isNodeStart(argv, env)).toBe(expected);
  });

  it("boot's restart code is the one the service managers are told about", () => {
    expect(RESTART_EXIT_CODE).toBe(SERVICE_RESTART_EXIT_CODE);
  });
});
