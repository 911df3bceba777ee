// Builds only the app bundle: `node build/appBundle.mjs --out <file> [--app-version <v>]`.
// An app release is this file plus its signed manifest; tests use it to make a "newer"
// bundle to install into a data directory.

import { parseArgs } from "node:util";
import { buildApp } from "./lib/bundles.mjs";
import { versionStamp } from "./lib/stamp.mjs";

const { values } = parseArgs({
  options: { out: { type: "string" }, "app-version": { type: "string" } },
});
if (!values.out) {
  console.error("usage: node build/appBundle.mjs --out <file> [--app-version <version>]");
  process.exit(2);
}
await buildApp({ outfile: values.out, version: values["app-version"] ?? versionStamp().version });
