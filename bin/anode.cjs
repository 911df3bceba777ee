#!/usr/bin/env node
// The `anode` command of the npm package (npx anode, npm install -g): the same boot layer
// and app bundle as `node dist/anode.cjs`, which `npm run build` writes and `npm pack`
// ships. classic-level comes from the package's own dependencies.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const boot = join(__dirname, "..", "dist", "anode.cjs");
if (!existsSync(boot)) {
  process.stderr.write(`anode: Cannot start: ${boot} is missing; run \`npm run build\` first\n`);
  process.exit(1);
}
require(boot);
