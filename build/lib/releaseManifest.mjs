import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TARGETS } from "./targets.mjs";

/**
 * The release manifest for what `out` holds: the app bundle `anode-app-<version>.cjs` and
 * every platform binary present, each described from its current bytes (so after
 * codesign changed the macOS ones, the manifest names the signed bytes).
 */
export function releaseManifest(out, { version, channel, createdAt, expiresAt, tools }) {
  const bytesOf = (name) => new Uint8Array(readFileSync(join(out, name)));
  const appName = `anode-app-${version}.cjs`;
  if (!existsSync(join(out, appName))) {
    throw new Error(`Cannot write the manifest: ${out} holds no ${appName}`);
  }
  const present = new Set(readdirSync(out));
  const binaries = Object.entries(TARGETS).filter(([, t]) => present.has(t.output));
  if (binaries.length === 0) throw new Error(`Cannot write the manifest: ${out} holds no binary`);
  return {
    format: 1,
    product: "anode",
    version,
    channel,
    createdAt: createdAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    artifacts: [
      {
        kind: "app",
        platform: "any",
        name: appName,
        hostApi: tools.HOST_API_VERSION,
        binaryLayer: tools.BINARY_LAYER,
        engines: tools.engineVersions(),
        ...tools.describeArtifact(bytesOf(appName)),
      },
      ...binaries.map(([platform, t]) => ({
        kind: "binary",
        platform,
        name: t.output,
        ...tools.describeArtifact(bytesOf(t.output)),
      })),
    ],
  };
}
