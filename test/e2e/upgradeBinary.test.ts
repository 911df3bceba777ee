import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAppState, readBinaryTrial } from "../../src/boot";
import { sha512Hex } from "../../src/upgrade";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";
import { BUILD_TIMEOUT_MS, cleanEnv, newerVersion, run, runBuild, testKeys } from "./binaryHarness";
import { launch, type WatchedNode } from "./upgradeBinaryHarness";

// Must-show 5 on the real linux-x64 binary: a signed binary release published to a
// node that runs from a temporary directory, SIGKILLed at each step of applying it.
// Whatever the step, the node comes back on the old or on the new binary, never none.
// The scenarios run one after another: each moves a ~120 MB executable several times,
// and the rest of the suite runs beside this file.
const supported = `${process.platform}-${process.arch}` === "linux-x64";
/** Each scenario starts a node two or three times and moves a ~120 MB executable. */
const SCENARIO_TIMEOUT_MS = 60_000;

describe.skipIf(!supported)("binary releases on the linux-x64 binary", () => {
  const tmp = tempDir("anode-e2e-binup-");
  const embedded = JSON.parse(readFileSync("package.json", "utf8")).version as string;
  const newer = newerVersion();
  const releaseDir = join(tmp.path, "release");
  const oldExe = join(tmp.path, "old", "anode-linux-x64");
  let oldSum = "";
  let newSum = "";
  let env: NodeJS.ProcessEnv;
  const nodes: WatchedNode[] = [];

  beforeAll(async () => {
    const keys = testKeys(tmp.path);
    const keyFile = join(tmp.path, "release.key");
    writeFileSync(keyFile, JSON.stringify(keys.key), { mode: 0o600 });
    const buildEnv = { ...process.env, ANODE_TRUSTED_KEYS_FILE: keys.file };
    const build = (out: string, extra: string[]) =>
      runBuild(["build/binary.mjs", "--target", "linux-x64", "--out-dir", out, ...extra], buildEnv);
    await Promise.all([
      build(join(tmp.path, "old"), []),
      build(releaseDir, ["--app-version", newer]),
    ]);
    env = cleanEnv({ ANODE_CACHE_DIR: join(tmp.path, "cache"), HOME: join(tmp.path, "home") });
    const signed = await run(
      oldExe,
      [
        "release",
        "sign",
        "--key",
        keyFile,
        "--binary",
        `linux-x64=${join(releaseDir, "anode-linux-x64")}`,
        "--release-version",
        newer,
        "--out",
        join(releaseDir, "manifest.json"),
      ],
      env,
    );
    if (signed.code !== 0) throw new Error(`release sign failed: ${signed.stderr}`);
    oldSum = sha512Hex(readFileSync(oldExe));
    newSum = sha512Hex(readFileSync(join(releaseDir, "anode-linux-x64")));
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    tmp.remove();
  });

  /** One node's own copy of the old binary, data directory and ports. */
  const setup = async (name: string, extra: Record<string, string>) => {
    const dir = join(tmp.path, name);
    mkdirSync(dir);
    const exe = join(dir, "anode");
    copyFileSync(oldExe, exe);
    chmodSync(exe, 0o755);
    const dataDir = join(dir, "data");
    const flags = ["--data-dir", dataDir, "--api-port", String(await freePort())];
    const nodeEnv = {
      ...env,
      ANODE_P2P_LISTEN: `127.0.0.1:${await freePort()}`,
      ANODE_UPGRADE_HEALTH_WINDOW_MS: "2000",
      ...extra,
    };
    const start = (more: Record<string, string> = {}) => {
      const node = launch(exe, flags, { ...nodeEnv, ...more });
      nodes.push(node);
      return node;
    };
    const publish = async () => {
      const r = await run(
        oldExe,
        [...flags, "release", "publish", join(releaseDir, "manifest.json")],
        env,
        60_000,
      );
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    };
    const exeSum = () => sha512Hex(readFileSync(exe));
    return { exe, dataDir, start, publish, exeSum };
  };

  const kill = async (node: WatchedNode) => {
    node.proc.kill("SIGKILL");
    await node.exited;
  };

  it(
    "SIGKILL once staged: comes back on the old binary, then applies the release",
    async () => {
      const n = await setup("staged", {});
      const first = n.start({ ANODE_UPGRADE_CRASH_TEST_PAUSE: "staged" });
      expect((await first.ready(1)).version).toBe(embedded);
      await n.publish();
      await first.waitFor("paused for a crash test");
      await kill(first);
      expect(n.exeSum()).toBe(oldSum);

      const second = n.start();
      expect((await second.ready(1)).version).toBe(embedded);
      expect(existsSync(join(n.exe, "..", ".anode.new"))).toBe(false);
      // The release is still staged and verified: the node applies it and asks to restart.
      expect(await second.exited).toBe(75);
      const third = n.start();
      expect((await third.ready(1)).version).toBe(newer);
      expect(n.exeSum()).toBe(newSum);
      await third.stop();
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "SIGKILL once renamed: comes back on the new binary, which becomes permanent",
    async () => {
      const n = await setup("renamed", {});
      const first = n.start({ ANODE_UPGRADE_CRASH_TEST_PAUSE: "renamed" });
      expect((await first.ready(1)).version).toBe(embedded);
      await n.publish();
      await first.waitFor("paused for a crash test");
      await kill(first);
      expect(n.exeSum()).toBe(newSum);
      expect(sha512Hex(readFileSync(`${n.exe}.old`))).toBe(oldSum);

      const second = n.start();
      const ready = await second.ready(1);
      expect(ready.version).toBe(newer);
      expect(readBinaryTrial(n.dataDir)?.pid).toBe(ready.pid);
      await second.waitFor("binary release is healthy and permanent");
      expect(existsSync(`${n.exe}.old`)).toBe(false);
      expect(readBinaryTrial(n.dataDir)).toBeUndefined();
      expect(await second.stop()).toBe(0);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "SIGKILL while restarting into it: the supervising parent restarts, .old comes back",
    async () => {
      const n = await setup("restarting", {
        ANODE_SUPERVISE: "1",
        ANODE_UPGRADE_HEALTH_WINDOW_MS: "60000",
      });
      const parent = n.start();
      expect((await parent.ready(1)).version).toBe(embedded);
      await n.publish();
      // Exit 75, and the parent starts the new executable under the same name.
      const onTrial = await parent.ready(2);
      expect(onTrial.version).toBe(newer);
      expect(parent.proc.exitCode).toBeNull();
      process.kill(onTrial.pid, "SIGKILL");
      expect(await parent.exited).toBe(128 + 9);

      // As a service manager would: start again. Boot sees the dead trial, puts the old
      // binary back and exits 75; the parent starts the old one.
      const again = n.start();
      expect((await again.ready(1)).version).toBe(embedded);
      expect(n.exeSum()).toBe(oldSum);
      expect(readAppState(n.dataDir).bad[newer]).toMatch(/health window/);
      expect(await again.stop(), again.output()).toBe(0);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
