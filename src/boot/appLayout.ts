import { join } from "node:path";

/** Name of the bundle file and of its signed manifest inside a version's directory. */
export const APP_BUNDLE_FILE = "app.cjs";
export const APP_MANIFEST_FILE = "manifest.json";
export const APP_STATE_FILE = "state.json";

/** Largest app bundle boot reads into memory; today's is about 1.5 MB. */
export const MAX_APP_BUNDLE_BYTES = 64 * 1024 * 1024;

/**
 * Where installed app bundles live in a data directory:
 *
 *   <dataDir>/app/state.json            current / last good / bad versions
 *   <dataDir>/app/<version>/app.cjs     the bundle, byte for byte as released
 *   <dataDir>/app/<version>/manifest.json   its signed release manifest
 *
 * Entries whose name is not a version (temporary directories, staging) are ignored.
 */
export function appLayout(dataDir: string) {
  const root = join(dataDir, "app");
  return {
    root,
    stateFile: join(root, APP_STATE_FILE),
    versionDir: (version: string) => join(root, version),
    bundleFile: (version: string) => join(root, version, APP_BUNDLE_FILE),
    manifestFile: (version: string) => join(root, version, APP_MANIFEST_FILE),
  };
}
