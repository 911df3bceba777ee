// The two bundles: the app (everything replaceable) and the boot layer (what the binary
// pins). Both CommonJS: Node's single-executable mode evaluates only CommonJS, and the
// boot layer evaluates the app as a CommonJS module.

import { resolve } from "node:path";
import { build } from "esbuild";
import { binaryLayerDigest } from "./layers.mjs";
import { optionsValidatorPlugin } from "./optionsValidator.mjs";
import { hostModulesPlugin, seaLevelBindingPlugin } from "./plugins.mjs";
import { unusedDependenciesPlugin } from "./unusedDependencies.mjs";

const root = resolve(import.meta.dirname, "../..");

// Optional native accelerators of ws and msgpackr: left out so both use their JS paths.
const OPTIONAL_NATIVE = ["bufferutil", "utf-8-validate", "msgpackr-extract"];

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  legalComments: "none",
  logLevel: "warning",
};

/**
 * The app bundle: exports `{ hostApi, binaryLayer, version, main(host, argv) }`, where
 * `binaryLayer` is the digest of the binary-layer sources of the tree it is built from
 * (`from`, this checkout unless a test builds another tree).
 */
export async function buildApp({
  outfile,
  version,
  sourcemap = false,
  // Every command compiles the whole bundle: whitespace and syntax minified, it is half
  // the bytes to read and parse (names stay, so stack traces still name functions).
  minify = true,
  entry = "src/app/main.ts",
  from = root,
}) {
  await build({
    ...common,
    absWorkingDir: from,
    entryPoints: [entry],
    outfile,
    sourcemap: sourcemap ? "linked" : false,
    minifyWhitespace: minify,
    minifySyntax: minify,
    external: OPTIONAL_NATIVE,
    define: {
      __ANODE_VERSION__: JSON.stringify(version),
      __ANODE_BINARY_LAYER__: JSON.stringify(binaryLayerDigest(from)),
    },
    plugins: [hostModulesPlugin(from), optionsValidatorPlugin(from), unusedDependenciesPlugin()],
  });
}

/**
 * The boot layer. `sea: true` for the binary: classic-level bundled with its addon from
 * a SEA asset and the app from another; otherwise classic-level comes from
 * node_modules and the app from app.cjs beside the output.
 */
export async function buildBoot({
  outfile,
  version,
  build: buildId,
  trustedKeys,
  sea,
  sourcemap = false,
}) {
  await build({
    ...common,
    entryPoints: ["src/boot/main.ts"],
    outfile,
    sourcemap: sourcemap ? "linked" : false,
    external: sea ? [] : ["classic-level"],
    define: {
      __ANODE_VERSION__: JSON.stringify(version),
      __ANODE_BUILD__: JSON.stringify(buildId),
      __ANODE_TRUSTED_KEYS__: JSON.stringify(trustedKeys),
      __ANODE_BINARY_LAYER__: JSON.stringify(binaryLayerDigest()),
    },
    plugins: sea ? [seaLevelBindingPlugin()] : [],
  });
}
