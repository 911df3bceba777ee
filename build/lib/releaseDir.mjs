import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import nacl from "tweetnacl";

/** A folder the release command made: only such a folder is ever emptied by it. */
const MARKER = ".anode-release";

/**
 * An empty release folder at `dir`. An existing folder is emptied only if a previous run
 * of the release command made it (so `--out-dir .` or `--out-dir ~` never deletes work).
 */
export function prepareReleaseDir(dir) {
  const out = resolve(dir);
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!existsSync(join(out, MARKER))) {
      throw new Error(
        `Cannot write the release into ${out}: it is not empty and was not made by the release command`,
      );
    }
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, MARKER), "made by build/release.mjs; emptied by its next run\n");
  return out;
}

/** The release's published files: the regular files at the top of `dir`, dot files aside. */
export function releaseFiles(dir) {
  return readdirSync(dir)
    .filter((f) => !f.startsWith(".") && f !== "SHA256SUMS" && f !== "SHA256SUMS.sig")
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

export const sha256File = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** SHA256SUMS in sha256sum's format over every published file; returns its text. */
export function writeSums(dir) {
  const text = releaseFiles(dir)
    .map((f) => `${sha256File(join(dir, f))}  ${f}\n`)
    .join("");
  writeFileSync(join(dir, "SHA256SUMS"), text);
  return text;
}

/**
 * SHA256SUMS.sig: the ed25519 signature of SHA256SUMS's exact bytes, as one line of
 * base64 (the encoding install.sh, install.ps1 and `anode release verify` read).
 * Checked against the key's public half before it is written.
 */
export function writeSumsSignature(dir, key, sign) {
  const message = readFileSync(join(dir, "SHA256SUMS"));
  const signature = sign(new Uint8Array(message), key);
  const publicKey = Buffer.from(key.publicKey, "base64");
  if (!nacl.sign.detached.verify(new Uint8Array(message), signature, new Uint8Array(publicKey))) {
    throw new Error(
      "Cannot sign SHA256SUMS: the signature does not verify with the key's public half",
    );
  }
  writeFileSync(join(dir, "SHA256SUMS.sig"), `${Buffer.from(signature).toString("base64")}\n`);
}
