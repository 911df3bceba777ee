import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BINARY_LAYER, HOST_API_VERSION } from "../../src/boot";
import type { AnyEngineModule } from "../../src/runtime";
import {
  canonicalJson,
  describeArtifact,
  type SignedManifest,
  type SigningKey,
  signManifest,
} from "../../src/upgrade";

/**
 * Engine modules a tiny bundle exports, handed over through a global: the bundle is
 * evaluated in this very process, so it can reach modules the test built from src.
 */
const SWAP_GLOBAL = "__anodeTestSwapEngines";

/** Makes `tinyAppBundle(version, { swap: name })` export these engine modules. */
export function provideSwapEngines(name: string, modules: Record<string, AnyEngineModule>): void {
  const g = globalThis as Record<string, unknown>;
  const table = (g[SWAP_GLOBAL] ?? {}) as Record<string, unknown>;
  table[name] = modules;
  g[SWAP_GLOBAL] = table;
}

export function forgetSwapEngines(): void {
  delete (globalThis as Record<string, unknown>)[SWAP_GLOBAL];
}

/**
 * An app bundle as boot and the upgrade engine evaluate it: CommonJS exporting the host
 * contract. With `swap`, its engines are the ones given to provideSwapEngines(swap);
 * with `throws`, evaluating it throws.
 */
export function tinyAppBundle(
  version: string,
  o: { swap?: string; throws?: boolean; hostApi?: number; binaryLayer?: string } = {},
): Uint8Array {
  const engines =
    o.swap === undefined ? "{}" : `(globalThis.${SWAP_GLOBAL} || {})[${JSON.stringify(o.swap)}]`;
  const code = [
    o.throws ? `throw new Error("bundle ${version} refuses to load");` : "",
    `module.exports = { hostApi: ${o.hostApi ?? HOST_API_VERSION}, version: ${JSON.stringify(version)},`,
    `  binaryLayer: ${JSON.stringify(o.binaryLayer ?? BINARY_LAYER)},`,
    "  main: async () => 0,",
    // The contract's engines are a function, loaded on first use.
    `  engines: async () => (${engines}) };`,
  ].join("\n");
  return new TextEncoder().encode(code);
}

/** A signed manifest listing `bytes` as the app artifact `app.cjs` of `version`. */
export function signedAppRelease(
  version: string,
  bytes: Uint8Array,
  keys: SigningKey[],
  o: { chunkSize?: number; createdAt?: number } = {},
): SignedManifest {
  const created = o.createdAt ?? Date.now() - 1000;
  const manifest = {
    format: 1 as const,
    product: "anode" as const,
    version,
    channel: "stable" as const,
    createdAt: new Date(created).toISOString(),
    expiresAt: new Date(created + 86_400_000).toISOString(),
    artifacts: [
      {
        kind: "app" as const,
        platform: "any" as const,
        name: "app.cjs",
        hostApi: HOST_API_VERSION,
        binaryLayer: BINARY_LAYER,
        engines: {},
        ...describeArtifact(bytes, o.chunkSize ?? 16 * 1024),
      },
    ],
  };
  return { manifest, signatures: keys.map((k) => signManifest(manifest, k)) };
}

/** Writes `<dir>/app.cjs` and `<dir>/manifest.json` as `release sign` would; returns the manifest path. */
export function writeRelease(dir: string, signed: SignedManifest, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "app.cjs"), bytes);
  const file = join(dir, "manifest.json");
  writeFileSync(file, `${canonicalJson(signed)}\n`);
  return file;
}
