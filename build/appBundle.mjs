// Builds only the app bundle: `node build/appBundle.mjs --out <file> [--app-version <v>]
// [--entry <file.ts>]`. An app release is this file plus its signed manifest; tests use it
// to make a "newer" bundle, and --entry to build a test variant (one that re-exports
// src/app/main.ts with some engines changed: see test/support/upgradeFixtures), and
// --from <dir> to build from another source tree (its binary-layer digest, its entry).

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildApp } from "./lib/bundles.mjs";
import { versionStamp } from "./lib/stamp.mjs";

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    "app-version": { type: "string" },
    entry: { type: "string" },
    from: { type: "string" },
  },
});
if (!values.out) {
  console.error("usage: node build/appBundle.mjs --out <file> [--app-version <version>]");
  process.exit(2);
}
await buildApp({
  outfile: values.out,
  version: values["app-version"] ?? versionStamp().version,
  ...(values.entry ? { entry: values.entry } : {}),
  ...(values.from ? { from: resolve(values.from) } : {}),
});
