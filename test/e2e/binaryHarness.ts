import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { BINARY_LAYER, HOST_API_VERSION } from "../../src/boot";
import type { SignedManifest } from "../../src/upgrade";
import {
  describeArtifact,
  generateSigningKey,
  type SigningKey,
  signManifest,
  trustedKeyOf,
} from "../../src/upgrade";

/** Building a binary copies ~120 MB and runs postject; on a loaded CI machine allow minutes. */
export const BUILD_TIMEOUT_MS = 240_000;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The variables a packaged binary sees: nothing of the test runner's Node or anode config. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("ANODE_") || k.startsWith("NODE_") || k.startsWith("VITEST")) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

/** Runs a build script with the project's Node, bounded in time; throws with its output. */
export function runBuild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: resolve("."), env, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${args.join(" ")} failed: ${err.message}\n${stderr}`));
        else resolvePromise(stdout);
      },
    );
  });
}

export function run(
  exe: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      exe,
      args,
      { cwd: dirname(exe), env, timeout: timeoutMs },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 128) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

export interface RunningNode {
  proc: ChildProcess;
  output(): string;
  stop(timeoutMs?: number): Promise<number | null>;
}

/** `anode start` from the binary; resolves once it prints its ready line. */
export async function startBinaryNode(
  exe: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyMs = 30_000,
): Promise<RunningNode> {
  const proc = spawn(exe, [...args, "start", "--json", "--log-format", "json"], {
    cwd: dirname(exe),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`the binary did not get ready within ${readyMs} ms:\n${out}`));
    }, readyMs);
    const check = () => {
      if (out.includes('"event": "ready"')) {
        clearTimeout(timer);
        proc.stdout?.off("data", check);
        resolveReady();
      }
    };
    proc.stdout?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the binary exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    proc,
    output: () => out,
    async stop(timeoutMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The next patch version: newer than the embedded app whatever package.json says. */
export function newerVersion(): string {
  const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
  const [major, minor, patch] = version.split(/[.+-]/).map(Number) as [number, number, number];
  return `${major}.${minor}.${patch + 1}-e2e.1`;
}

/** A test signing key and the trusted-keys file a test binary is built with. */
export function testKeys(dir: string): { key: SigningKey; file: string } {
  const key = generateSigningKey("e2e-test");
  const file = join(dir, "trusted-keys.json");
  writeFileSync(file, JSON.stringify({ threshold: 1, keys: [trustedKeyOf(key)] }));
  return { key, file };
}

/** A signed release of one app bundle, as the upgrade engine would install it. */
export function signedAppRelease(
  bundle: Uint8Array,
  version: string,
  key: SigningKey,
): { signed: SignedManifest; bundle: Uint8Array } {
  const now = Date.now();
  const manifest = {
    format: 1 as const,
    product: "anode" as const,
    version,
    channel: "beta" as const,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 86_400_000).toISOString(),
    artifacts: [
      {
        kind: "app" as const,
        platform: "any" as const,
        name: `anode-app-${version}.cjs`,
        hostApi: HOST_API_VERSION,
        binaryLayer: BINARY_LAYER,
        engines: {},
        ...describeArtifact(bundle),
      },
    ],
  };
  return { signed: { manifest, signatures: [signManifest(manifest, key)] }, bundle };
}

/** True when some directory from `dir` up to the root holds a node_modules. */
export function nodeModulesAbove(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, "node_modules"))) return join(d, "node_modules");
    if (dirname(d) === d) return undefined;
  }
}
