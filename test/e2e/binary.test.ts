import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appLayout, installAppBundle, writeAppState } from "../../src/boot";
import { generateSigningKey, type SigningKey } from "../../src/upgrade";
import { freePort } from "../support/ports";
import { tempDir } from "../support/tempDir";
import {
  BUILD_TIMEOUT_MS,
  cleanEnv,
  newerVersion,
  nodeModulesAbove,
  type RunningNode,
  run,
  runBuild,
  signedAppRelease,
  startBinaryNode,
  testKeys,
} from "./binaryHarness";

// The packaged linux-x64 binary, copied alone into an empty temporary directory (no
// node_modules anywhere above it), driven as an operator would. It is built here with
// a throwaway trusted key, so the test can sign app bundles the binary accepts.
const host = `${process.platform}-${process.arch}`;
const supported = host === "linux-x64";

describe.skipIf(!supported)("the linux-x64 binary", () => {
  const tmp = tempDir("anode-e2e-");
  const runDir = join(tmp.path, "run");
  const exe = join(runDir, "anode");
  const embedded = JSON.parse(readFileSync("package.json", "utf8")).version as string;
  const newer = newerVersion();
  let key: SigningKey;
  let newerBundle: Uint8Array;
  let env: NodeJS.ProcessEnv;
  const nodes: RunningNode[] = [];

  beforeAll(async () => {
    const keys = testKeys(tmp.path);
    key = keys.key;
    const out = join(tmp.path, "build");
    const buildEnv = { ...process.env, ANODE_TRUSTED_KEYS_FILE: keys.file };
    await Promise.all([
      runBuild(["build/binary.mjs", "--target", "linux-x64", "--out-dir", out], buildEnv),
      runBuild([
        "build/appBundle.mjs",
        "--out",
        join(tmp.path, "newer-app.cjs"),
        "--app-version",
        newer,
      ]),
    ]);
    mkdirSync(runDir);
    copyFileSync(join(out, "anode-linux-x64"), exe);
    chmodSync(exe, 0o755);
    newerBundle = new Uint8Array(readFileSync(join(tmp.path, "newer-app.cjs")));
    env = cleanEnv({ ANODE_CACHE_DIR: join(tmp.path, "cache"), HOME: join(tmp.path, "home") });
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    tmp.remove();
  });

  const start = async (dataDir: string) => {
    const flags = ["--data-dir", dataDir, "--api-port", String(await freePort())];
    const p2p = `127.0.0.1:${await freePort()}`;
    const node = await startBinaryNode(exe, flags, { ...env, ANODE_P2P_LISTEN: p2p });
    nodes.push(node);
    return { node, cli: (...args: string[]) => run(exe, [...flags, ...args], env) };
  };

  it("runs from a directory with no node_modules above it", () => {
    expect(nodeModulesAbove(runDir)).toBeUndefined();
  });

  it("starts, takes a transaction, reads it back and stops on SIGTERM", async () => {
    const { node, cli } = await start(join(tmp.path, "data-plain"));
    const submit = await cli("tx", "submit", "--put", "greeting=hello", "--wait");
    expect(submit.stderr).toBe("");
    expect(submit).toMatchObject({ code: 0, stdout: expect.stringMatching(/committed/) });
    const read = await cli("state", "get", "greeting");
    expect(read).toMatchObject({ code: 0, stdout: "hello\n" });
    const status = await cli("status", "--json");
    expect(JSON.parse(status.stdout).boot).toMatchObject({
      source: "embedded",
      appVersion: embedded,
    });
    expect(await node.stop()).toBe(0);
  });

  it("boots a newer signed app bundle installed in the data directory", async () => {
    const dataDir = join(tmp.path, "data-newer");
    installAppBundle(dataDir, signedAppRelease(newerBundle, newer, key));
    const version = await run(exe, ["--data-dir", dataDir, "--version"], env);
    expect(version).toEqual({ code: 0, stdout: `${newer}\n`, stderr: "" });

    const { node, cli } = await start(dataDir);
    const status = JSON.parse((await cli("status", "--json")).stdout);
    expect(status.boot).toMatchObject({
      source: "installed",
      appVersion: newer,
      binaryVersion: embedded,
      signers: ["e2e-test"],
      path: appLayout(dataDir).bundleFile(newer),
    });
    expect(status.version).toBe(newer);
    expect((await cli("tx", "submit", "--put", "k=v", "--wait")).code).toBe(0);
    expect((await cli("state", "get", "k")).stdout).toBe("v\n");
    expect(await node.stop()).toBe(0);
  });

  it("refuses a tampered bundle, says why on stderr, and boots the embedded app", async () => {
    const dataDir = join(tmp.path, "data-tampered");
    installAppBundle(dataDir, signedAppRelease(newerBundle, newer, key));
    const file = appLayout(dataDir).bundleFile(newer);
    const bytes = readFileSync(file);
    const at = bytes.length - 2;
    bytes[at] = (bytes[at] as number) ^ 0x01; // Same size, one bit off.
    writeFileSync(file, bytes);

    const version = await run(exe, ["--data-dir", dataDir, "--version"], env);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${embedded}\n`);
    expect(version.stderr).toBe(
      `anode: refused app bundle ${newer} in ${dataDir}: its SHA-512 does not match the signed manifest; booting the embedded app ${embedded}\n`,
    );

    const { node, cli } = await start(dataDir);
    const status = JSON.parse((await cli("status", "--json")).stdout);
    expect(status.boot).toMatchObject({
      source: "embedded",
      refused: [{ version: newer, reason: "its SHA-512 does not match the signed manifest" }],
    });
    expect(await node.stop()).toBe(0);
  });

  it("refuses a bundle signed by a key it does not trust", async () => {
    const dataDir = join(tmp.path, "data-untrusted");
    installAppBundle(dataDir, signedAppRelease(newerBundle, newer, generateSigningKey("mallory")));
    const version = await run(exe, ["--data-dir", dataDir, "--version"], env);
    expect(version.stdout).toBe(`${embedded}\n`);
    expect(version.stderr).toMatch(
      /refused app bundle .* signed only by keys this node does not trust \(mallory\); booting the embedded app/,
    );
  });

  it("never boots a version marked bad, and says nothing about it", async () => {
    const dataDir = join(tmp.path, "data-bad");
    installAppBundle(dataDir, signedAppRelease(newerBundle, newer, key));
    writeAppState(dataDir, { bad: { [newer]: "failed its health window" } });
    const version = await run(exe, ["--data-dir", dataDir, "--version"], env);
    expect(version).toEqual({ code: 0, stdout: `${embedded}\n`, stderr: "" });
  });
});
