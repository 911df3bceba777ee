// Bundles the CLI (and with it the whole node) into one CommonJS file. CommonJS because
// Node's single-executable mode only evaluates CommonJS. Optional native accelerators of
// ws and msgpackr stay external so both fall back to their pure-JS paths.

import { readFileSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/anode.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  sourcemap: "linked",
  legalComments: "none",
  external: ["classic-level", "bufferutil", "utf-8-validate", "msgpackr-extract"],
  define: { __ANODE_VERSION__: JSON.stringify(pkg.version) },
  logLevel: "warning",
});
