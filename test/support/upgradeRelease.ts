import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  generateSigningKey,
  parseSignedManifest,
  type SigningKey,
  signManifest,
  type TrustedKeys,
  trustedKeyOf,
} from "../../src/upgrade";
import { runCli } from "./nodeProcess";

/**
 * Test app variants under test/support/upgradeFixtures, built with build/appBundle.mjs;
 * `app` is the app itself (src/app/main.ts), for a release built from changed sources.
 */
export type Fixture =
  | "bumpMempool"
  | "throwingCodeChange"
  | "crashAfterSwap"
  | "perRelease"
  | "app";

export interface ReleaseKey {
  key: SigningKey;
  keyFile: string;
  trust: TrustedKeys;
  /** The environment that makes `node dist/anode.cjs` (boot and engine) trust this key. */
  env: Record<string, string>;
}

/** A throwaway release key, its key file, and the trust a test network is given. */
export function releaseKey(dir: string, id = "test-release"): ReleaseKey {
  const key = generateSigningKey(id);
  const keyFile = join(dir, `${id}.key`);
  writeFileSync(keyFile, JSON.stringify(key), { mode: 0o600 });
  const trust = { threshold: 1, keys: [trustedKeyOf(key)] };
  return { key, keyFile, trust, env: { ANODE_UPGRADE_TRUSTED_KEYS: JSON.stringify(trust) } };
}

/**
 * Builds an app bundle of `version` from a fixture and signs it with `release sign`,
 * in its own folder; returns the manifest path (the artifacts sit beside it). `from`
 * builds it from another source tree (one holding src/ and the fixtures), as a release
 * made from a different checkout would be.
 */
export async function buildRelease(
  dir: string,
  o: { version: string; fixture: Fixture; key: ReleaseKey; extra?: string[]; from?: string },
): Promise<string> {
  const out = join(dir, `release-${o.version}`);
  mkdirSync(out, { recursive: true });
  const app = join(out, `anode-app-${o.version}.cjs`);
  execFileSync(process.execPath, [
    resolve("build/appBundle.mjs"),
    "--out",
    app,
    "--app-version",
    o.version,
    "--entry",
    o.fixture === "app" ? "src/app/main.ts" : `test/support/upgradeFixtures/${o.fixture}.ts`,
    ...(o.from === undefined ? [] : ["--from", o.from]),
  ]);
  const manifest = join(out, "manifest.json");
  const signed = await runCli([
    "release",
    "sign",
    "--key",
    o.key.keyFile,
    "--app",
    app,
    "--out",
    manifest,
    ...(o.extra ?? []),
  ]);
  if (signed.code !== 0) throw new Error(`release sign failed: ${signed.stderr}`);
  return manifest;
}

export function readManifest(file: string): { manifest: { version: string } } {
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * Re-dates a signed manifest and signs it again with `key`: a release "made" weeks from
 * now, for tests that move a node's clock forward (ANODE_CLOCK_OFFSET_MS).
 */
export function redateRelease(
  file: string,
  key: ReleaseKey,
  o: { createdAt: number; expiresAt: number },
): void {
  const { manifest: old } = parseSignedManifest(readFileSync(file, "utf8"));
  const manifest = {
    ...old,
    createdAt: new Date(o.createdAt).toISOString(),
    expiresAt: new Date(o.expiresAt).toISOString(),
  };
  const signed = { manifest, signatures: [signManifest(manifest, key.key)] };
  writeFileSync(file, `${JSON.stringify(signed, null, 2)}\n`);
}
