import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/** Environment variable naming a trusted-keys file that replaces build/trusted-keys.json. */
export const TRUSTED_KEYS_ENV = "ANODE_TRUSTED_KEYS_FILE";

/**
 * The release keys to compile into the boot layer: build/trusted-keys.json, or the file
 * named by ANODE_TRUSTED_KEYS_FILE (tests build binaries that trust their own throwaway
 * keys this way; a release build prints which file it used). The boot layer checks the
 * shape again at start-up.
 */
export function loadTrustedKeys(
  file = process.env[TRUSTED_KEYS_ENV] || resolve(root, "build/trusted-keys.json"),
) {
  const keys = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(keys.keys) || keys.keys.length === 0 || !Number.isInteger(keys.threshold)) {
    throw new Error(
      `Cannot build: ${file} is not a trusted-keys file ({ threshold, keys: [{ id, publicKey }] })`,
    );
  }
  return {
    file,
    keys: {
      threshold: keys.threshold,
      keys: keys.keys.map(({ id, publicKey }) => ({ id, publicKey })),
    },
  };
}
