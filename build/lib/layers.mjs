// Which source folders the binary holds (boot, runtime and what boot needs to verify and
// load an app bundle), and the digest of their sources. Only a binary release changes
// these folders; an app bundle built against other binary-layer sources is refused.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/** The binary layer's folders, relative to the repository root. */
export const BINARY_LAYER_FOLDERS = ["src/boot", "src/runtime", "src/errors", "src/verify"];

/**
 * Packages binary-layer code may import: the native addon the host owns and the ed25519
 * code the verifier checks signatures with. Node built-ins (`node:`) are always allowed.
 */
export const BINARY_LAYER_PACKAGES = ["classic-level", "tweetnacl"];

/** The binary-layer folders the app reaches only through the host's `require` (id by folder). */
export const HOST_MODULE_FOLDERS = {
  "src/runtime": "anode:runtime",
  "src/errors": "anode:errors",
  "src/verify": "anode:verify",
};

/** Every file of the binary-layer folders, repository-relative with `/`, sorted. */
export function binaryLayerFiles(base = root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(relative(base, path).split(sep).join("/"));
    }
  };
  for (const folder of BINARY_LAYER_FOLDERS) walk(join(base, folder));
  return files.sort();
}

/**
 * sha256 over each binary-layer file's path and sha256, path-sorted: the same sources
 * give the same digest on every machine, and any change to one (or a file added, removed
 * or renamed) gives another.
 */
export function binaryLayerDigest(base = root) {
  const all = createHash("sha256");
  for (const file of binaryLayerFiles(base)) {
    const content = createHash("sha256")
      .update(readFileSync(join(base, file)))
      .digest("hex");
    all.update(`${file}\0${content}\n`);
  }
  return all.digest("hex");
}
