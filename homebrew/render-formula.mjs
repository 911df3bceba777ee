// Renders homebrew/anode.rb from the template and a release directory's SHA256SUMS:
// one URL and sha256 per platform. Fails if a platform is missing from SHA256SUMS or a
// listed binary's bytes do not match (when the binaries are in the directory).
//
//   node homebrew/render-formula.mjs --release-dir dist/release \
//     --base-url https://github.com/OWNER/anode/releases/download/v0.1.0 \
//     [--version 0.1.0] [--homepage URL] [--out dist/release/anode.rb]

import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const PLATFORMS = ["macos-arm64", "macos-x64", "linux-arm64", "linux-x64"];

const { values } = parseArgs({
  options: {
    "release-dir": { type: "string" },
    "base-url": { type: "string" },
    version: { type: "string" },
    homepage: { type: "string" },
    out: { type: "string" },
  },
});

function fail(message) {
  process.stderr.write(`render-formula: ${message}\n`);
  process.exit(2);
}

const dir = values["release-dir"] ?? fail("Cannot render: --release-dir is required");
const baseUrl = (values["base-url"] ?? fail("Cannot render: --base-url is required")).replace(
  /\/+$/,
  "",
);
if (!/^https:\/\//.test(baseUrl)) fail(`Cannot render: --base-url must be https (${baseUrl})`);
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const version = (values.version ?? pkg.version).replace(/^v/, "");

/** `<sha256>  <name>` lines (sha256sum's format; `*name` for binary mode too). */
const sums = new Map();
for (const line of readFileSync(join(dir, "SHA256SUMS"), "utf8").split("\n")) {
  const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
  if (m) sums.set(m[2], m[1]);
}

const fields = {
  homepage: values.homepage ?? "https://github.com/anode-org/anode",
  version,
  base_url: baseUrl,
};
for (const platform of PLATFORMS) {
  const name = `anode-${platform}`;
  const sha = sums.get(name) ?? fail(`Cannot render: SHA256SUMS in ${dir} lists no ${name}`);
  const file = join(dir, name);
  if (existsSync(file)) {
    const actual = createHash("sha256").update(readFileSync(file)).digest("hex");
    if (actual !== sha) fail(`Cannot render: ${file} has sha256 ${actual}, SHA256SUMS says ${sha}`);
  }
  fields[`sha256_${platform.replace("-", "_")}`] = sha;
}

const template = readFileSync(new URL("anode.rb.template", import.meta.url), "utf8");
const formula = template.replace(/\{\{(\w+)\}\}/g, (_, key) =>
  key in fields ? fields[key] : fail(`Cannot render: the template names an unknown field ${key}`),
);
if (values.out) writeFileSync(values.out, formula);
else process.stdout.write(formula);
