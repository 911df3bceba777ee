import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson, isVersion, type SignedManifest } from "../verify";
import { APP_BUNDLE_FILE, APP_MANIFEST_FILE, appLayout } from "./appLayout";

/**
 * Writes a release's app bundle and its signed manifest into the data directory, as
 * boot expects them. Written into a temporary directory and renamed into place, so boot
 * never sees half a version. It does not verify: boot verifies on every start.
 */
export function installAppBundle(
  dataDir: string,
  release: { signed: SignedManifest; bundle: Uint8Array },
): string {
  const { version } = release.signed.manifest;
  if (!isVersion(version))
    throw new TypeError(`Cannot install app bundle: "${version}" is not a version`);
  const layout = appLayout(dataDir);
  mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  const tmp = join(layout.root, `.install-${randomBytes(6).toString("hex")}`);
  mkdirSync(tmp, { mode: 0o700 });
  try {
    writeFileSync(join(tmp, APP_BUNDLE_FILE), release.bundle, { mode: 0o600, flush: true });
    writeFileSync(join(tmp, APP_MANIFEST_FILE), `${canonicalJson(release.signed)}\n`, {
      mode: 0o600,
      flush: true,
    });
    rmSync(layout.versionDir(version), { recursive: true, force: true });
    renameSync(tmp, layout.versionDir(version));
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return layout.versionDir(version);
}
