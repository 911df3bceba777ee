import { spawn } from "node:child_process";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { platformOf, restoreBinary, stageBinary, swapBinary } from "../../../src/upgrade";
import { tempDir } from "../../support/tempDir";

const STEPS = ["staged", "renamed", "restarting"] as const;

/**
 * Runs the binary swap in a child process that stops (and is SIGKILLed) at a step, the
 * way a node dies mid-upgrade; the executable's name must hold a whole old or new binary.
 */
const child = tempDir("anode-binswap-child-");
const childFile = join(child.path, "child.cjs");

function swapUntil(exe: string, step: (typeof STEPS)[number]): Promise<void> {
  const script = `require(${JSON.stringify(childFile)}).run(${JSON.stringify(exe)}, ${JSON.stringify(step)});`;
  return new Promise((res) => {
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes(`at ${step}`)) child.kill("SIGKILL");
    });
    child.on("exit", () => res());
  });
}

describe("binary swap", () => {
  beforeAll(() => {
    buildSync({
      entryPoints: [resolve("test/support/binarySwapChild.ts")],
      outfile: childFile,
      bundle: true,
      platform: "node",
      format: "cjs",
      logLevel: "warning",
    });
    return () => child.remove();
  });

  it.each(STEPS)(
    "SIGKILL when %s leaves the old or the new binary in place, never none",
    async (step) => {
      const dir = tempDir("anode-binswap-");
      try {
        const exe = join(dir.path, "anode");
        writeFileSync(exe, "OLD".repeat(1000), { mode: 0o755 });
        await swapUntil(exe, step);
        const now = readFileSync(exe, "utf8");
        expect(["OLD".repeat(1000), "NEW".repeat(1000)]).toContain(now);
        if (step !== "staged") expect(readFileSync(`${exe}.old`, "utf8")).toBe("OLD".repeat(1000));
        // And the new binary failing its health window puts the old one back.
        if (step !== "staged") {
          expect(restoreBinary(exe)).toBe(true);
          expect(readFileSync(exe, "utf8")).toBe("OLD".repeat(1000));
        }
      } finally {
        dir.remove();
      }
    },
  );

  it("stages beside the executable and swaps atomically, keeping .old", () => {
    const dir = tempDir("anode-binswap-");
    try {
      const exe = join(dir.path, "anode");
      writeFileSync(exe, "a", { mode: 0o755 });
      stageBinary(exe, new TextEncoder().encode("b"));
      swapBinary(exe);
      expect(readFileSync(exe, "utf8")).toBe("b");
      expect(readFileSync(`${exe}.old`, "utf8")).toBe("a");
    } finally {
      dir.remove();
    }
  });

  it("names release platforms", () => {
    expect(platformOf("linux", "x64")).toBe("linux-x64");
    expect(platformOf("darwin", "arm64")).toBe("macos-arm64");
    expect(platformOf("win32", "x64")).toBe("win-x64");
    expect(platformOf("freebsd", "x64")).toBeUndefined();
  });
});

describe("stageBinary under a service's umask", () => {
  it("gives the new binary the old one's mode, whatever the umask", () => {
    const dir = tempDir("anode-binswap-");
    const previous = process.umask(0o077);
    try {
      const exe = join(dir.path, "anode");
      writeFileSync(exe, "old", { mode: 0o755 });
      chmodSync(exe, 0o755);
      const staged = stageBinary(exe, new TextEncoder().encode("new"));
      expect(statSync(staged).mode & 0o777).toBe(0o755);
    } finally {
      process.umask(previous);
      dir.remove();
    }
  });
});
