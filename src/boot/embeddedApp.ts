import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { getRawAsset, isSea } from "node:sea";

/** SEA asset key of the app bundle inside the executable. */
export const EMBEDDED_APP_ASSET = "app.cjs";

/**
 * The app bundle that shipped with this binary: a SEA asset in the executable, or
 * `app.cjs` beside the boot script when run with plain node (`node dist/anode.cjs`).
 */
export function embeddedApp(): { bytes: Uint8Array; filename: string } {
  if (isSea()) {
    return {
      bytes: new Uint8Array(getRawAsset(EMBEDDED_APP_ASSET)),
      filename: join(dirname(process.execPath), "anode-app.cjs"),
    };
  }
  const filename = join(__dirname, EMBEDDED_APP_ASSET);
  return { bytes: readFileSync(filename), filename };
}
