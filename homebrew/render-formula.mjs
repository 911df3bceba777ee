// Renders homebrew/anode.rb from the template and a release directory's SHA256SUMS (the
// release command does this itself; this is the same step on its own).
//
//   node homebrew/render-formula.mjs --release-dir dist/release [--version 0.1.0]
//     [--base-url URL] [--homepage URL] [--out dist/release/anode.rb]
//
// The version defaults to package.json's; the base URL to the GitHub release of that
// version and the homepage to the repository, both from package.json's `repository`.

import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { repository } from "../build/lib/repository.mjs";
import { renderFormula } from "./formula.mjs";

const { values } = parseArgs({
  options: {
    "release-dir": { type: "string" },
    "base-url": { type: "string" },
    version: { type: "string" },
    homepage: { type: "string" },
    out: { type: "string" },
  },
});

try {
  const dir = values["release-dir"];
  if (!dir) throw new Error("Cannot render: --release-dir is required");
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const repo = repository(pkg);
  const version = values.version ?? pkg.version;
  const formula = renderFormula({
    dir,
    version,
    baseUrl: values["base-url"] ?? repo.releaseDownload(version),
    homepage: values.homepage ?? repo.home,
  });
  if (values.out) writeFileSync(values.out, formula);
  else process.stdout.write(formula);
} catch (err) {
  process.stderr.write(`render-formula: ${err.message}\n`);
  process.exit(2);
}
