import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { getRawAsset, isSea } from "node:sea";

/** SEA asset key of the app bundle inside the executable. */
export const EMBEDDED_APP_ASSET = "app.cjs";
/**
 * SEA asset key of V8's compiled code for the embedded app, written at build time by the
 * Node binary the executable is made of. It sits inside the executable, so it is exactly
 * as trusted as the boot code that reads it; a cache file from any writable folder is
 * not (V8 checks little more than the source's length, so replaced bytecode would run).
 */
export const EMBEDDED_CODE_CACHE_ASSET = "app.v8";

export interface EmbeddedApp {
  bytes: Uint8Array;
  filename: string;
  /** V8's code cache for these bytes, from inside the executable; none in dev builds. */
  codeCache?: Uint8Array;
}

/**
 * The app bundle that shipped with this binary: a SEA asset in the executable, or
 * `app.cjs` beside the boot script when run with plain node (`node dist/anode.cjs`).
 */
export function embeddedApp(): EmbeddedApp {
  if (isSea()) {
    const cache = embeddedCodeCache();
    return {
      bytes: new Uint8Array(getRawAsset(EMBEDDED_APP_ASSET)),
      filename: join(dirname(process.execPath), "anode-app.cjs"),
      ...(cache === undefined ? {} : { codeCache: cache }),
    };
  }
  const filename = join(__dirname, EMBEDDED_APP_ASSET);
  return { bytes: readFileSync(filename), filename };
}

function embeddedCodeCache(): Uint8Array | undefined {
  try {
    return new Uint8Array(getRawAsset(EMBEDDED_CODE_CACHE_ASSET));
  } catch {
    return undefined; // Built for another machine: no cache was made, V8 compiles.
  }
}
