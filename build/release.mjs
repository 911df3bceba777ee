// `npm run build:release`: every artifact of a release into dist/release/:
//
//   anode-linux-x64  anode-linux-arm64  anode-macos-x64  anode-macos-arm64  anode-win-x64.exe
//   anode-app-<version>.cjs      the app bundle (also embedded in each binary)
//   manifest.json                signed release manifest for the upgrade engine
//   SHA256SUMS, SHA256SUMS.sig   checksums of all of the above; raw ed25519 signature
//
// Signing key: a key file (build/keygen.mjs writes one) named by ANODE_RELEASE_KEY.
// Without it the release is left unsigned and the script says so; --throwaway-key signs
// with a fresh key (for trying the flow; no binary trusts it). The macOS binaries are not
// code-signed here: the release workflow's macOS job signs them ad hoc (codesign -s -),
// after which their sha256 changes and SHA256SUMS must be rebuilt there.
//
// Options: --channel stable|beta, --expires-days N, --targets a,b (default: all five).

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { buildBinaries } from "./lib/binaries.mjs";
import { loadReleaseTools } from "./lib/loadReleaseTools.mjs";
import { TARGETS } from "./lib/targets.mjs";

const { values } = parseArgs({
  options: {
    channel: { type: "string", default: "stable" },
    "expires-days": { type: "string", default: "90" },
    targets: { type: "string", default: Object.keys(TARGETS).join(",") },
    "out-dir": { type: "string", default: "dist/release" },
    "throwaway-key": { type: "boolean", default: false },
  },
});
const started = Date.now();
const out = values["out-dir"];
rmSync(out, { recursive: true, force: true });
const targets = values.targets.split(",");
for (const t of targets) if (!TARGETS[t]) throw new Error(`Cannot build: unknown target ${t}`);

const built = await buildBinaries({ targets, outDir: out });
const tools = await loadReleaseTools(join(out, ".work"));
const key = signingKey(tools);

const createdAt = new Date();
const expiresAt = new Date(createdAt.getTime() + Number(values["expires-days"]) * 86_400_000);
const bytesOf = (file) => new Uint8Array(readFileSync(file));
const artifacts = [
  {
    kind: "app",
    platform: "any",
    name: basename(built.appFile),
    hostApi: 1,
    engines: tools.engineVersions(),
    ...tools.describeArtifact(bytesOf(built.appFile)),
  },
  ...targets.map((t) => ({
    kind: "binary",
    platform: t,
    name: basename(built.binaries[t]),
    ...tools.describeArtifact(bytesOf(built.binaries[t])),
  })),
];
const manifest = {
  format: 1,
  product: "anode",
  version: built.version,
  channel: values.channel,
  createdAt: createdAt.toISOString(),
  expiresAt: expiresAt.toISOString(),
  artifacts,
};
const signatures = key ? [tools.signManifest(manifest, key)] : [];
// Parsing what we wrote proves the nodes will read it.
const signed = tools.parseSignedManifest(JSON.stringify({ manifest, signatures }));
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(signed, null, 2)}\n`);

const files = [...artifacts.map((a) => a.name), "manifest.json"];
const sums = files.map((f) => `${tools.sha256Hex(bytesOf(join(out, f)))}  ${f}\n`).join("");
writeFileSync(join(out, "SHA256SUMS"), sums);
if (key) {
  writeFileSync(join(out, "SHA256SUMS.sig"), tools.signBytes(new TextEncoder().encode(sums), key));
  const trusted = built.trustedKeys.keys.keys.some(
    (k) => k.id === key.id && k.publicKey === key.publicKey,
  );
  if (trusted) {
    tools.verifyManifest(
      signed.manifest,
      signed.signatures,
      tools.parseTrustedKeys(built.trustedKeys.keys),
    );
    console.error(`signed with ${key.id}, which the binaries trust`);
  } else {
    console.error(
      `warning: key ${key.id} is not in ${built.trustedKeys.file}: these binaries will refuse this release`,
    );
  }
}
rmSync(join(out, ".work"), { recursive: true, force: true });
console.error(
  `\nrelease ${built.version} (${built.build}) in ${out}, ${((Date.now() - started) / 1000).toFixed(1)} s:`,
);
for (const a of artifacts)
  console.error(`  ${a.name.padEnd(28)} ${(a.size / 1e6).toFixed(1).padStart(6)} MB`);
console.error(`  manifest.json, SHA256SUMS${key ? ", SHA256SUMS.sig" : " (unsigned)"}`);
if (targets.some((t) => TARGETS[t].macho)) {
  console.error(
    "  note: the macOS binaries still need ad-hoc signing on macOS (codesign --sign -)",
  );
}

function signingKey(tools) {
  const file = process.env.ANODE_RELEASE_KEY;
  if (file) return tools.parseSigningKey(JSON.parse(readFileSync(file, "utf8")));
  if (values["throwaway-key"]) {
    const throwaway = tools.generateSigningKey("throwaway");
    const trust = { threshold: 1, keys: [tools.trustedKeyOf(throwaway)] };
    writeFileSync(join(out, "throwaway-trusted-keys.json"), `${JSON.stringify(trust, null, 2)}\n`);
    console.error("signing with a throwaway key (its public half: throwaway-trusted-keys.json)");
    return throwaway;
  }
  console.error("ANODE_RELEASE_KEY is not set: manifest.json and SHA256SUMS are left unsigned");
  return undefined;
}
