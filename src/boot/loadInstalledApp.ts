import { closeSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { isVersion, MAX_MANIFEST_BYTES, type TrustedKeys } from "../verify";
import { appLayout, MAX_APP_BUNDLE_BYTES } from "./appLayout";
import { BootError } from "./bootError";
import { type VerifiedAppBundle, verifyAppBundle } from "./verifyAppBundle";

export interface InstalledApp extends VerifiedAppBundle {
  version: string;
  bytes: Uint8Array;
  path: string;
}

/** Version directories under `<dataDir>/app`; none when it does not exist. */
export function listInstalledVersions(dataDir: string): string[] {
  try {
    return readdirSync(appLayout(dataDir).root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && isVersion(e.name))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** Reads one installed version's bundle and manifest and verifies them; throws a BootError. */
export function loadInstalledApp(
  dataDir: string,
  version: string,
  o: { trust: TrustedKeys },
): InstalledApp {
  const layout = appLayout(dataDir);
  const path = layout.bundleFile(version);
  let manifestBytes: Uint8Array;
  let bytes: Uint8Array;
  try {
    manifestBytes = readCapped(layout.manifestFile(version), MAX_MANIFEST_BYTES);
    bytes = readCapped(path, MAX_APP_BUNDLE_BYTES);
  } catch (err) {
    const reason = (err as Error).message;
    throw new BootError(
      { code: "BOOT_BUNDLE_UNREADABLE", version, reason },
      `Cannot boot app bundle ${version}: ${reason}`,
      { cause: err },
    );
  }
  return {
    version,
    bytes,
    path,
    ...verifyAppBundle(manifestBytes, bytes, { version, trust: o.trust }),
  };
}

/** Reads a whole file through one descriptor, refusing it when it is over `limit`. */
function readCapped(file: string, limit: number): Uint8Array {
  const fd = openSync(file, "r");
  try {
    const { size } = fstatSync(fd);
    if (size > limit) throw new Error(`${file} is ${size} bytes, over the ${limit}-byte limit`);
    const buf = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, buf, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}
