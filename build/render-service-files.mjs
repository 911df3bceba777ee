// Writes the service definitions under installers/ (systemd unit, sysusers line, launchd
// plists, WinSW XML) and the blocks install.sh embeds, from the same renderers that
// `anode service install` uses (src/service), so there is one source for each. Also puts
// the release keys from build/trusted-keys.json into install.sh. Run after changing
// src/service; test/unit/service/installerFiles.test.ts fails while the copies are stale.
//
//   node build/render-service-files.mjs [--check]

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
const check = process.argv.includes("--check");

// src/service is TypeScript with extensionless imports: bundle it in memory, then load it.
const out = await build({
  entryPoints: [new URL("src/service/index.ts", root).pathname],
  bundle: true,
  platform: "node",
  format: "esm",
  write: false,
  logLevel: "warning",
});
const service = await import(
  `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`
);

/** The base64 public keys, one a line, from build/trusted-keys.json when it exists. */
function trustedKeys() {
  const file = new URL("build/trusted-keys.json", root);
  if (!existsSync(file)) return undefined;
  const { keys } = JSON.parse(readFileSync(file, "utf8"));
  return keys.map((k) => `${k.publicKey}\n`).join("");
}

const files = new Map();
for (const f of service.installerFiles()) files.set(f.path, f.text);
const blocks = [...service.installerBlocks()];
const keys = trustedKeys();
if (keys !== undefined) {
  blocks.push({
    path: "installers/linux/install.sh",
    name: "KEYS",
    variable: "ANODE_TRUSTED_KEYS",
    text: keys,
  });
}
for (const b of blocks) {
  const current = files.get(b.path) ?? readFileSync(new URL(b.path, root), "utf8");
  files.set(b.path, service.spliceBlock(current, b.name, b.variable, b.text));
}

// install.ps1 needs the keys too; it is PowerShell, so one line, not a heredoc block.
if (keys !== undefined) {
  const ps1 = "installers/windows/install.ps1";
  const list = keys
    .trim()
    .split("\n")
    .map((k) => `"${k}"`)
    .join(", ");
  const current = files.get(ps1) ?? readFileSync(new URL(ps1, root), "utf8");
  files.set(ps1, current.replace(/^\$EmbeddedKeys = .*$/m, `$EmbeddedKeys = @(${list})`));
}

let stale = 0;
for (const [path, text] of files) {
  const url = new URL(path, root);
  const before = existsSync(url) ? readFileSync(url, "utf8") : undefined;
  if (before === text) continue;
  stale++;
  if (check) console.error(`stale: ${path}`);
  else {
    mkdirSync(new URL(".", url), { recursive: true });
    writeFileSync(url, text, { mode: path.endsWith(".sh") ? 0o755 : 0o644 });
    console.log(`wrote ${path}`);
  }
}
if (check && stale > 0) process.exit(1);
