// `npm run release -- --out-dir DIR`: every file of a release, into any folder:
//
//   anode-linux-x64  anode-linux-arm64  anode-macos-x64  anode-macos-arm64  anode-win-x64.exe
//   anode-app-<version>.cjs       the app bundle (also embedded in each binary)
//   manifest.json                 the signed release manifest the upgrade engine reads
//   anode_<v>_amd64.deb  anode_<v>_arm64.deb     the Linux packages
//   anode-service.exe             the Windows service wrapper (the pinned official WinSW)
//   install.sh uninstall.sh install.ps1 uninstall.ps1
//   anode.rb                      the Homebrew formula, its URLs at this version's release
//   SHA256SUMS, SHA256SUMS.sig    checksums of all of the above; the signature as base64
//   macos-pkg/                    inputs of the .pkg files (built on macOS; not published)
//
// `npm run release:remanifest -- --out-dir DIR` re-hashes what DIR holds now (after the
// macOS binaries were ad-hoc signed, and with the .pkg files beside them), then rewrites
// the manifest, the formula, SHA256SUMS and its signature.
//
// Signing key: a key file (`anode release keygen`) named by ANODE_RELEASE_KEY. Without it
// the release is unsigned and the command says so; --throwaway-key signs with a fresh key
// (for trying the flow; no binary trusts it).
//
// Options: --channel stable|beta, --expires-days N, --targets a,b (default: all five),
// --expect-version V (fail unless package.json says V), --skip-deb, --skip-winsw.

import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { FORMULA_PLATFORMS, renderFormula } from "../homebrew/formula.mjs";
import { buildBinaries } from "./lib/binaries.mjs";
import { loadReleaseTools } from "./lib/loadReleaseTools.mjs";
import { prepareReleaseDir } from "./lib/releaseDir.mjs";
import { releaseManifest } from "./lib/releaseManifest.mjs";
import {
  buildDebs,
  copyInstallScripts,
  writeMacosPkgInputs,
  writeWinsw,
} from "./lib/releasePackages.mjs";
import { repository } from "./lib/repository.mjs";
import { TARGETS } from "./lib/targets.mjs";
import { loadTrustedKeys } from "./lib/trustedKeys.mjs";

const root = resolve(import.meta.dirname, "..");
const log = (line) => console.error(line);
let cachedTools;

let values;
try {
  ({ values } = parseArgs({
    options: {
      "out-dir": { type: "string", default: "dist/release" },
      remanifest: { type: "boolean", default: false },
      channel: { type: "string" },
      "expires-days": { type: "string", default: "90" },
      targets: { type: "string", default: Object.keys(TARGETS).join(",") },
      "expect-version": { type: "string" },
      "throwaway-key": { type: "boolean", default: false },
      "skip-deb": { type: "boolean", default: false },
      "skip-winsw": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (err) {
  fail(`${err.message} (see --help)`, 2);
}
if (values.help) {
  const text = readFileSync(new URL(import.meta.url), "utf8");
  process.stdout.write(
    `${text
      .split("\n")
      .filter((l) => l.startsWith("//"))
      .map((l) => l.replace(/^\/\/ ?/, ""))
      .join("\n")}\n`,
  );
  process.exit(0);
}

try {
  await (values.remanifest ? remanifest() : release());
} catch (err) {
  fail(err.message, 1);
}

async function release() {
  const started = Date.now();
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const expected = values["expect-version"]?.replace(/^v/, "");
  if (expected !== undefined && expected !== pkg.version) {
    throw new Error(`Cannot release ${expected}: package.json says ${pkg.version}`);
  }
  // In the release workflow: the URLs in the installers and the formula must be this one's.
  const actual = process.env.GITHUB_REPOSITORY;
  if (actual && actual !== repository(pkg).slug) {
    throw new Error(
      `Cannot release from ${actual}: package.json's repository names ${repository(pkg).slug}`,
    );
  }
  const targets = values.targets.split(",");
  for (const t of targets) if (!TARGETS[t]) throw new Error(`Cannot build: unknown target ${t}`);
  const days = Number(values["expires-days"]);
  if (!Number.isFinite(days) || days <= 0)
    throw new Error("Cannot release: --expires-days must be > 0");
  const out = prepareReleaseDir(values["out-dir"]);

  const built = await buildBinaries({ targets, outDir: out, log });
  rmSync(join(out, ".work"), { recursive: true, force: true });
  copyInstallScripts(out, built.trustedKeys.keys, await releaseTools());
  if (targets.some((t) => TARGETS[t].macho)) writeMacosPkgInputs(out);
  if (targets.includes("win-x64")) {
    if (values["skip-winsw"]) log("--skip-winsw: this release has no Windows service wrapper");
    else log(`service wrapper from ${writeWinsw(out)}`);
  }
  if (values["skip-deb"]) log("--skip-deb: this release has no .deb packages");
  else buildDebs(out, { targets, version: built.version, log });

  await finish(out, { version: built.version, channel: values.channel ?? "stable", days });
  log(
    `\nrelease ${built.version} (${built.build}) in ${out}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (targets.some((t) => TARGETS[t].macho)) {
    log("note: the macOS binaries still need ad-hoc signing on macOS (codesign --sign -),");
    log("      then sh macos-pkg/build-pkg.sh for the .pkg files and release:remanifest");
  }
}

async function remanifest() {
  const out = resolve(values["out-dir"]);
  const file = join(out, "manifest.json");
  if (!existsSync(file)) throw new Error(`Cannot re-manifest ${out}: it holds no manifest.json`);
  const previous = JSON.parse(readFileSync(file, "utf8")).manifest ?? {};
  if (typeof previous.version !== "string") {
    throw new Error(`Cannot re-manifest ${out}: manifest.json names no version`);
  }
  const days = Number(values["expires-days"]);
  await finish(out, {
    version: previous.version,
    channel: values.channel ?? previous.channel,
    days,
  });
  log(`re-hashed and re-signed release ${previous.version} in ${out}`);
}

/** The manifest, the formula, SHA256SUMS and its signature over what `out` now holds. */
async function finish(out, { version, channel, days }) {
  const tools = await releaseTools();
  const key = signingKey(tools, out);
  const now = new Date();
  const manifest = releaseManifest(out, {
    version,
    channel,
    createdAt: now,
    expiresAt: new Date(now.getTime() + days * 86_400_000),
    tools,
  });
  const signatures = key ? [tools.signManifest(manifest, key)] : [];
  // Parsing what we wrote proves the nodes will read it.
  const signed = tools.parseSignedManifest(JSON.stringify({ manifest, signatures }));
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify(signed, null, 2)}\n`);

  const repo = repository();
  const platforms = new Set(manifest.artifacts.map((a) => a.platform));
  if (FORMULA_PLATFORMS.every((p) => platforms.has(p))) {
    await writeSums(out, tools); // the formula reads the binaries' sums
    const formula = renderFormula({
      dir: out,
      version,
      baseUrl: repo.releaseDownload(version),
      homepage: repo.home,
    });
    writeFileSync(join(out, "anode.rb"), formula);
  } else {
    log(`no Homebrew formula: it needs all of ${FORMULA_PLATFORMS.join(", ")}`);
  }
  const sums = await writeSums(out, tools);
  if (!key) {
    log("ANODE_RELEASE_KEY is not set: manifest.json and SHA256SUMS are left unsigned");
    rmSync(join(out, "SHA256SUMS.sig"), { force: true });
    return;
  }
  const signature = tools.signBytes(new Uint8Array(Buffer.from(sums, "utf8")), key);
  writeFileSync(join(out, "SHA256SUMS.sig"), tools.sumsSignatureText(signature));
  // What install.sh and `anode release verify` will check, checked before anyone does.
  await tools.checkSums(out, { threshold: 1, keys: [tools.trustedKeyOf(key)] });
  const trusted = loadTrustedKeys();
  if (trusted.keys.keys.some((k) => k.id === key.id && k.publicKey === key.publicKey)) {
    tools.verifyManifest(signed.manifest, signed.signatures, tools.parseTrustedKeys(trusted.keys));
    log(`signed with ${key.id}, which the binaries trust`);
  } else {
    log(
      `warning: key ${key.id} is not in ${trusted.file}: these binaries will refuse this release`,
    );
  }
}

/** The signing, manifest and SHA256SUMS code of src/, bundled once per run. */
async function releaseTools() {
  cachedTools ??= await loadReleaseTools(join(root, "node_modules/.cache/anode-release-tools"));
  return cachedTools;
}

/** SHA256SUMS over the folder's published files, by the rules `anode release sums` uses. */
async function writeSums(out, tools) {
  const text = await tools.sumsText(out);
  writeFileSync(join(out, "SHA256SUMS"), text);
  return text;
}

function signingKey(tools, out) {
  const file = process.env.ANODE_RELEASE_KEY;
  if (file) return tools.parseSigningKey(JSON.parse(readFileSync(file, "utf8")));
  if (values["throwaway-key"]) {
    const throwaway = tools.generateSigningKey("throwaway");
    const trust = { threshold: 1, keys: [tools.trustedKeyOf(throwaway)] };
    // A dot file: beside the release for trying it, never published with it.
    writeFileSync(join(out, ".throwaway-trusted-keys.json"), `${JSON.stringify(trust, null, 2)}\n`);
    log(
      `signing with a throwaway key (its public half: ${join(out, ".throwaway-trusted-keys.json")})`,
    );
    return throwaway;
  }
  return undefined;
}

function fail(message, code) {
  console.error(`release: ${message}`);
  process.exit(code);
}
