// `npm run build:binary`: the app bundle and one executable for this machine's platform
// (linux-x64 in CI), into dist/bin/. Options: --target <t>, --out-dir <dir>,
// --app-version <v> and --app-entry <file.ts> (tests build a "newer" binary, or one whose
// embedded app is a test fixture, this way). The trusted keys come
// from build/trusted-keys.json unless ANODE_TRUSTED_KEYS_FILE names another file.

import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { buildBinaries } from "./lib/binaries.mjs";
import { hostTarget, TARGETS } from "./lib/targets.mjs";

const { values } = parseArgs({
  options: {
    target: { type: "string", default: hostTarget() },
    "out-dir": { type: "string", default: "dist/bin" },
    "app-version": { type: "string" },
    "app-entry": { type: "string" },
  },
});
if (!values.target || !TARGETS[values.target]) {
  console.error(
    `Cannot build: no target for ${process.platform}-${process.arch}; pass --target (${Object.keys(TARGETS).join(", ")})`,
  );
  process.exit(2);
}
const started = Date.now();
const out = values["out-dir"];
const result = await buildBinaries({
  targets: [values.target],
  outDir: out,
  ...(values["app-version"] ? { appVersion: values["app-version"] } : {}),
  ...(values["app-entry"] ? { appEntry: values["app-entry"] } : {}),
});
rmSync(`${out}/.work`, { recursive: true, force: true });
console.log(JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000 }));
