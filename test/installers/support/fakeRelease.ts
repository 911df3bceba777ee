import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const RELEASE_BINARIES = [
  "anode-linux-x64",
  "anode-linux-arm64",
  "anode-macos-x64",
  "anode-macos-arm64",
  "anode-win-x64.exe",
] as const;

export interface FakeRelease {
  readonly dir: string;
  /** The raw ed25519 public key, base64, as build/trusted-keys.json holds it. */
  readonly publicKey: string;
  readonly trustedKeysFile: string;
  readonly sums: Readonly<Record<string, string>>;
}

/**
 * A release directory like the build's: tiny shell-script "binaries", a real SHA256SUMS
 * and a real ed25519 signature over it by a key made here, and that key's
 * trusted-keys.json.
 */
export function makeFakeRelease(dir: string, version = "0.1.0"): FakeRelease {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  const raw = Buffer.from(jwk.x ?? "", "base64url").toString("base64");
  const sums: Record<string, string> = {};
  let text = "";
  for (const name of RELEASE_BINARIES) {
    const bytes = Buffer.from(`#!/bin/sh\necho "anode ${version} (${name})"\n`);
    writeFileSync(join(dir, name), bytes, { mode: 0o755 });
    sums[name] = createHash("sha256").update(bytes).digest("hex");
    text += `${sums[name]}  ${name}\n`;
  }
  writeFileSync(join(dir, "SHA256SUMS"), text);
  const signature = sign(null, Buffer.from(text), privateKey).toString("base64");
  writeFileSync(join(dir, "SHA256SUMS.sig"), `${signature}\n`);
  const trustedKeysFile = join(dir, "trusted-keys.json");
  writeFileSync(
    trustedKeysFile,
    `${JSON.stringify({ threshold: 1, keys: [{ id: "test", publicKey: raw }] }, null, 2)}\n`,
  );
  return { dir, publicKey: raw, trustedKeysFile, sums };
}

/** Another key, trusted by nobody: signatures by it must be refused. */
export function strangerKey(): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  return Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url").toString("base64");
}
