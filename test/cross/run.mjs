// `npm run test:cross`: the end-to-end flow of test/e2e on the binaries this machine
// cannot run natively: win-x64 under wine, linux-arm64 under qemu-user. A platform whose
// tool is missing is reported and skipped. Not part of CI (minutes, and needs apt
// packages: wine64, qemu-user, libc6-arm64-cross, libstdc++6-arm64-cross).
//
// For each platform: build the binary (trusting a throwaway key), copy it alone into an
// empty temporary directory, then: --version; start a node; submit a transaction and
// wait for it; read it back; stop the node; boot a newer signed app bundle installed in
// a data directory; refuse a tampered one. Output of every command goes to files (wine
// does not get along with pipes). Options: --only <platform>, --keep (leave the temp dir).

import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadReleaseTools } from "../../build/lib/loadReleaseTools.mjs";

const { values } = parseArgs({
  options: { only: { type: "string" }, keep: { type: "boolean", default: false } },
});
const root = resolve(import.meta.dirname, "../..");
const cache = process.env.ANODE_BUILD_CACHE || join(homedir(), ".cache", "anode-build");

const PLATFORMS = {
  "win-x64": {
    exe: "anode.exe",
    missing: () => (which("wine") ? undefined : "wine is not installed (apt-get install wine64)"),
    env: { WINEPREFIX: join(cache, "wineprefix"), WINEDEBUG: "-all" },
    command: (exe, args) => ["wine", [exe, ...args]],
    setup(env) {
      // A fresh prefix takes a while to create; Node 22 wants Windows 10 or newer.
      execFileSync("winecfg", ["/v", "win10"], { env, stdio: "ignore", timeout: 300_000 });
    },
    teardown(env) {
      try {
        execFileSync("wineserver", ["-k"], { env, stdio: "ignore", timeout: 30_000 });
      } catch {}
    },
  },
  "linux-arm64": {
    exe: "anode",
    missing: () => {
      if (!which("qemu-aarch64"))
        return "qemu-aarch64 is not installed (apt-get install qemu-user)";
      if (!existsSync("/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1"))
        return "the arm64 libc is missing (apt-get install libc6-arm64-cross)";
      if (!existsSync("/usr/aarch64-linux-gnu/lib/libstdc++.so.6"))
        return "the arm64 libstdc++ is missing (apt-get install libstdc++6-arm64-cross)";
      return undefined;
    },
    env: {},
    command: (exe, args) => ["qemu-aarch64", ["-L", "/usr/aarch64-linux-gnu", exe, ...args]],
    setup() {},
    teardown() {},
  },
};

const tmp = mkdtempSync(join(tmpdir(), "anode-cross-"));
const tools = await loadReleaseTools(join(tmp, "tools"), "test/cross/crossTools.ts");
const key = tools.generateSigningKey("cross-test");
const keysFile = join(tmp, "trusted-keys.json");
writeFileSync(keysFile, JSON.stringify({ threshold: 1, keys: [tools.trustedKeyOf(key)] }));
const embedded = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const [maj, min, pat] = embedded.split(/[.+-]/).map(Number);
const newer = `${maj}.${min}.${pat + 1}-cross.1`;
const children = new Set();
const results = [];

try {
  const newerApp = join(tmp, "newer-app.cjs");
  node(["build/appBundle.mjs", "--out", newerApp, "--app-version", newer]);
  for (const [name, p] of Object.entries(PLATFORMS)) {
    if (values.only && values.only !== name) continue;
    const missing = p.missing();
    if (missing) {
      results.push(`SKIP ${name}: ${missing}`);
      console.log(`== ${name}: skipped, ${missing}`);
      continue;
    }
    const started = Date.now();
    try {
      await runPlatform(name, p, new Uint8Array(readFileSync(newerApp)));
      results.push(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    } catch (err) {
      results.push(`FAIL ${name}: ${err.message}`);
      console.log(`!! ${name}: ${err.message}`);
    } finally {
      p.teardown({ ...process.env, ...p.env });
    }
  }
} finally {
  for (const c of children) c.kill("SIGKILL");
  if (values.keep) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
console.log(`\n${results.join("\n")}`);
process.exitCode = results.some((r) => r.startsWith("FAIL")) ? 1 : 0;

async function runPlatform(name, p, newerBundle) {
  const step = (text) => console.log(`== ${name}: ${text}`);
  step("building the binary");
  const out = join(tmp, `build-${name}`);
  node(["build/binary.mjs", "--target", name, "--out-dir", out], {
    ANODE_TRUSTED_KEYS_FILE: keysFile,
  });
  const runDir = join(tmp, `run-${name}`);
  mkdirSync(runDir);
  const exe = join(runDir, p.exe);
  copyFileSync(join(out, name === "win-x64" ? "anode-win-x64.exe" : `anode-${name}`), exe);
  chmodSync(exe, 0o755);
  const env = {
    ...cleanEnv(),
    ...p.env,
    ANODE_CACHE_DIR: join(tmp, `cache-${name}`),
    NO_COLOR: "1",
  };
  step("setting up");
  p.setup(env);
  let n = 0;
  const cli = async (args, timeoutMs = 120_000) => {
    const base = join(runDir, `out-${++n}`);
    const [cmd, argv] = p.command(exe, args);
    const child = spawn(cmd, argv, {
      cwd: runDir,
      env,
      stdio: ["ignore", openSync(`${base}.out`, "w"), openSync(`${base}.err`, "w")],
    });
    const code = await exitOf(child, timeoutMs);
    return {
      code,
      stdout: readFileSync(`${base}.out`, "utf8"),
      stderr: readFileSync(`${base}.err`, "utf8"),
    };
  };
  const expectRun = (r, what, test) => {
    if (!test(r))
      throw new Error(`${what}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    step(`ok: ${what}`);
  };

  let t0 = Date.now();
  const v = await cli(["--version"]);
  expectRun(
    v,
    `--version prints ${embedded} (${Date.now() - t0} ms)`,
    (r) => r.code === 0 && r.stdout.trim() === embedded,
  );

  const dataDir = join(tmp, `data-${name}`);
  const flags = ["--data-dir", dataDir, "--api-port", String(await freePort())];
  const [cmd, argv] = p.command(exe, [...flags, "start", "--json", "--log-format", "json"]);
  const logBase = join(runDir, "node");
  t0 = Date.now();
  const server = spawn(cmd, argv, {
    cwd: runDir,
    env: { ...env, ANODE_P2P_LISTEN: `127.0.0.1:${await freePort()}` },
    stdio: ["ignore", openSync(`${logBase}.out`, "w"), openSync(`${logBase}.err`, "w")],
  });
  children.add(server);
  const serverExit = exitOf(server, 3_600_000);
  await waitFor(
    () => readFileSync(`${logBase}.out`, "utf8").includes('"event": "ready"'),
    180_000,
    () =>
      `node never got ready:\n${readFileSync(`${logBase}.out`, "utf8")}\n${readFileSync(`${logBase}.err`, "utf8")}`,
  );
  step(`ok: node ready in ${Date.now() - t0} ms`);
  expectRun(
    await cli([...flags, "tx", "submit", "--put", "greeting=hello", "--wait"]),
    "transaction submitted and committed",
    (r) => r.code === 0 && /committed/.test(r.stdout),
  );
  expectRun(
    await cli([...flags, "state", "get", "greeting"]),
    "state read back",
    (r) => r.code === 0 && r.stdout.trim() === "hello",
  );
  const status = await cli([...flags, "status", "--json"]);
  expectRun(
    status,
    "status reports the embedded app",
    (r) => r.code === 0 && JSON.parse(r.stdout).boot?.source === "embedded",
  );
  server.kill("SIGTERM");
  const stopped = await Promise.race([
    serverExit,
    new Promise((r) => setTimeout(() => r("timeout"), 20_000)),
  ]);
  children.delete(server);
  if (stopped === "timeout") {
    server.kill("SIGKILL");
    throw new Error("the node did not stop within 20 s of SIGTERM");
  }
  step(`ok: node stopped on SIGTERM (exit ${stopped})`);

  const installed = join(tmp, `data-${name}-newer`);
  tools.installAppBundle(installed, release(newerBundle));
  expectRun(
    await cli(["--data-dir", installed, "--version"]),
    `boots the installed app bundle ${newer}`,
    (r) => r.code === 0 && r.stdout.trim() === newer && r.stderr === "",
  );
  const file = tools.appLayout(installed).bundleFile(newer);
  const bytes = readFileSync(file);
  bytes[bytes.length - 2] ^= 1;
  writeFileSync(file, bytes);
  expectRun(
    await cli(["--data-dir", installed, "--version"]),
    "refuses the tampered bundle and boots the embedded app",
    (r) =>
      r.code === 0 &&
      r.stdout.trim() === embedded &&
      /refused app bundle .*SHA-512 does not match/.test(r.stderr),
  );
}

function release(bundle) {
  const now = Date.now();
  const manifest = {
    format: 1,
    product: "anode",
    version: newer,
    channel: "beta",
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 86_400_000).toISOString(),
    artifacts: [
      {
        kind: "app",
        platform: "any",
        name: `anode-app-${newer}.cjs`,
        hostApi: tools.HOST_API_VERSION,
        binaryLayer: tools.BINARY_LAYER,
        engines: {},
        ...tools.describeArtifact(bundle),
      },
    ],
  };
  return { signed: { manifest, signatures: [tools.signManifest(manifest, key)] }, bundle };
}

function node(args, env = {}) {
  execFileSync(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 600_000,
  });
}

function cleanEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("ANODE_") && !k.startsWith("NODE_")),
  );
}

function which(cmd) {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function exitOf(child, timeoutMs) {
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolvePromise(code ?? signal);
    });
  });
}

async function waitFor(check, timeoutMs, describe) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(describe());
}

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolvePromise(port));
    });
  });
}
