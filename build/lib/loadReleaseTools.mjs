import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { binaryLayerDigest } from "./layers.mjs";

const root = resolve(import.meta.dirname, "../..");

/**
 * Bundles a TypeScript entry that re-exports code from src/ (by default
 * build/lib/releaseTools.ts) into `workDir` and loads it, so build scripts in plain
 * JavaScript sign and verify with the very code the nodes run.
 */
export async function loadReleaseTools(workDir, entry = "build/lib/releaseTools.ts") {
  const outfile = join(resolve(workDir), `${entry.replace(/\W+/g, "_")}.cjs`);
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    logLevel: "warning",
    external: ["classic-level", "bufferutil", "utf-8-validate", "msgpackr-extract"],
    define: {
      __ANODE_VERSION__: '"build"',
      __ANODE_BINARY_LAYER__: JSON.stringify(binaryLayerDigest()),
    },
  });
  return createRequire(import.meta.url)(outfile);
}
