import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCacheDir } from "./nodeBinary.mjs";

/**
 * The Windows service wrapper shipped as anode-service.exe: the official WinSW release,
 * pinned by version and SHA-256 (the hash of the GitHub release asset, as independent
 * package managers pin it too). `npm run release:winsw` downloads it into the build cache;
 * an offline build copies the file there, or names it with ANODE_WINSW_EXE.
 */
export const WINSW = {
  version: "2.12.0",
  url: "https://github.com/winsw/winsw/releases/download/v2.12.0/WinSW-x64.exe",
  sha256: "05b82d46ad331cc16bdc00de5c6332c1ef818df8ceefcd49c726553209b3a0da",
};

/** Where the release command looks for the wrapper. */
export function winswPath(env = process.env) {
  return env.ANODE_WINSW_EXE || join(buildCacheDir(), "winsw", `WinSW-x64-${WINSW.version}.exe`);
}

/** The wrapper's bytes if `file` is the pinned release; throws saying what is wrong. */
export function readPinnedWinsw(file, pin = WINSW) {
  if (!existsSync(file)) {
    throw new Error(
      `Cannot add the Windows service wrapper: no WinSW ${pin.version} at ${file}. ` +
        `Run \`npm run release:winsw\` (downloads ${pin.url}), or copy that file there or ` +
        "name it with ANODE_WINSW_EXE; --skip-winsw builds a release without it",
    );
  }
  const bytes = readFileSync(file);
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha !== pin.sha256) {
    throw new Error(
      `Cannot add the Windows service wrapper: ${file} has sha256 ${sha}, WinSW ${pin.version} has ${pin.sha256}`,
    );
  }
  return bytes;
}
