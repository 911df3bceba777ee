import { createHash } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { getRawAsset } from "node:sea";
import { cacheDir } from "./cacheDir";

/**
 * Loads a native addon embedded in the executable as a SEA asset. The OS can only load
 * a shared library from a file, so the bytes are written once to the user's cache
 * directory under their hash (an upgrade with another addon gets another file), checked
 * against the embedded bytes on every start, and loaded with process.dlopen.
 */
export function loadNativeAddon(asset: string): unknown {
  const bytes = new Uint8Array(getRawAsset(asset));
  const hash = createHash("sha256").update(bytes).digest("hex");
  const module = { exports: {} as unknown };
  let file: string;
  try {
    file = cachedCopy(bytes, hash, asset);
  } catch {
    // No writable cache (a locked-down service account): a private temporary copy,
    // removed right after loading where the OS allows it.
    const dir = mkdtempSync(join(tmpdir(), "anode-native-"));
    file = join(dir, asset);
    writeFileSync(file, bytes, { mode: 0o500 });
    process.dlopen(module, file);
    try {
      unlinkSync(file);
      rmSync(dir, { recursive: true });
    } catch {
      // Windows keeps a loaded library locked; the temp directory is cleaned by the OS.
    }
    return module.exports;
  }
  process.dlopen(module, file);
  return module.exports;
}

function cachedCopy(bytes: Uint8Array, hash: string, asset: string): string {
  const dir = join(
    cacheDir({ platform: process.platform, env: process.env, home: homedir() }),
    "native",
  );
  const file = join(dir, `${hash.slice(0, 16)}-${asset}`);
  try {
    const existing = readFileSync(file);
    if (createHash("sha256").update(existing).digest("hex") === hash) return file;
  } catch {
    // Not there yet.
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes, { mode: 0o500 });
  renameSync(tmp, file);
  return file;
}
