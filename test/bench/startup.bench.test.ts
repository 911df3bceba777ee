import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  BUILD_TIMEOUT_MS,
  cleanEnv,
  type RunningNode,
  runBuild,
  startBinaryNode,
} from "../e2e/binaryHarness";
import { benchFigure } from "../support/benchFigure";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";

// Start-up of the packaged binary against `node -e 0` measured in the same run (goal:
// `anode --version` and `anode status` with no node running at most 2x), with and without
// the code cache built into the executable (an installed app release always runs without
// one: see src/boot/embeddedApp.ts), the binaries' sizes, and the resident memory of an
// idle node against an idle bare Node process.
const RUNS = 15;
const IDLE_MS = 3000;
const supported = process.platform === "linux" && process.arch === "x64";

const tmp = tempDir("anode-bench-");
const exe = join(tmp.path, "run", "anode");
let env: NodeJS.ProcessEnv;
let node: RunningNode | undefined;

beforeAll(async () => {
  if (!supported) return;
  await runBuild([
    "build/binary.mjs",
    "--target",
    "linux-x64",
    "--out-dir",
    join(tmp.path, "build"),
  ]);
  mkdirSync(join(tmp.path, "run"));
  copyFileSync(join(tmp.path, "build", "anode-linux-x64"), exe);
  chmodSync(exe, 0o755);
  env = cleanEnv({ ANODE_CACHE_DIR: join(tmp.path, "cache"), HOME: join(tmp.path, "home") });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await node?.stop();
  tmp.remove();
});

function timeOnce(cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): number {
  const t0 = process.hrtime.bigint();
  spawnSync(cmd, args, { env: { ...env, ...extraEnv }, stdio: "ignore" });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** VmRSS, or RssAnon: the memory only this process holds (the binary's pages are shared). */
function rssKb(pid: number, field: "VmRSS" | "RssAnon" = "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const line = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return Number(line?.[1] ?? Number.NaN);
}

it.skipIf(!supported)(
  "start-up, size and idle memory of the binary",
  async () => {
    const dataDir = join(tmp.path, "no-node");
    const cases: Record<string, [string, string[], NodeJS.ProcessEnv?]> = {
      "node -e 0": [process.execPath, ["-e", "0"]],
      "anode --version": [exe, ["--version"]],
      "anode --version (no code cache)": [exe, ["--version"], { ANODE_NO_CODE_CACHE: "1" }],
      "anode status (no node)": [exe, ["--data-dir", dataDir, "--api-port", "9", "status"]],
      "anode status (no node, no code cache)": [
        exe,
        ["--data-dir", dataDir, "--api-port", "9", "status"],
        { ANODE_NO_CODE_CACHE: "1" },
      ],
    };
    // Warm the page cache and the code cache, then interleave so load spikes hit all alike.
    for (const [cmd, args, e] of Object.values(cases)) timeOnce(cmd, args, e);
    const times: Record<string, number[]> = Object.fromEntries(
      Object.keys(cases).map((k) => [k, []]),
    );
    for (let i = 0; i < RUNS; i++) {
      for (const [name, [cmd, args, e]] of Object.entries(cases))
        times[name]?.push(timeOnce(cmd, args, e));
    }
    const base = median(times["node -e 0"] as number[]);
    const lines = ["start-up, median of interleaved runs, ratio to `node -e 0` in this run:"];
    for (const [name, xs] of Object.entries(times)) {
      lines.push(
        `  ${name.padEnd(40)} ${(median(xs) / base).toFixed(2)}x   (${median(xs).toFixed(0)} ms)`,
      );
    }

    lines.push("binary sizes:");
    const release = "dist/release";
    const files = existsSync(release)
      ? readdirSync(release)
          .filter((f) => f.startsWith("anode-"))
          .map((f) => join(release, f))
      : [];
    for (const f of [exe, ...files])
      lines.push(`  ${f.padEnd(34)} ${(statSync(f).size / 1e6).toFixed(1)} MB`);

    const idle = spawnSync(
      process.execPath,
      [
        "-e",
        `setTimeout(() => {}, ${IDLE_MS + 500}); setTimeout(() => console.log(require("fs").readFileSync("/proc/self/status", "utf8").match(/VmRSS:\\s+(\\d+)/)[1]), ${IDLE_MS})`,
      ],
      { encoding: "utf8" },
    );
    const baseRss = Number(idle.stdout.trim());
    node = await startBinaryNode(
      exe,
      ["--data-dir", join(tmp.path, "idle"), "--api-port", String(await freePort())],
      { ...env, ANODE_P2P_LISTEN: `127.0.0.1:${await freePort()}` },
    );
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const rss = rssKb(node.proc.pid as number);
    const own = rssKb(node.proc.pid as number, "RssAnon");
    lines.push(
      `idle node after ${IDLE_MS} ms: ${(rss / 1024).toFixed(0)} MB resident, ${(rss / baseRss).toFixed(2)}x an idle bare Node (${(baseRss / 1024).toFixed(0)} MB); ${(own / 1024).toFixed(1)} MB of it private (anonymous), the rest the executable's pages, which every node on a machine shares`,
    );
    console.log(lines.join("\n"));
    const ratio = (name: string) => median(times[name] as number[]) / base;
    benchFigure("anode status (no node) / node -e 0", ratio("anode status (no node)"), "lower");
    benchFigure(
      "anode --version (no code cache) / node -e 0",
      ratio("anode --version (no code cache)"),
      "lower",
    );
    benchFigure("idle node RSS MB", rss / 1024, "lower");
    benchFigure("idle node private MB", own / 1024, "lower");
    expect(await node.stop()).toBe(0);
    node = undefined;
  },
  120_000,
);
