import { posix, win32 } from "node:path";

export interface CacheDirOptions {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

/**
 * The per-user cache directory (the extracted native addon, hash-checked before every
 * load): things that can be rebuilt, so never the data directory. `ANODE_CACHE_DIR` overrides it, for
 * service accounts without a home.
 */
export function cacheDir({ platform, env, home }: CacheDirOptions): string {
  const override = env.ANODE_CACHE_DIR;
  if (override !== undefined && override !== "") return override;
  if (platform === "win32") {
    const local = env.LOCALAPPDATA || win32.join(home, "AppData", "Local");
    return win32.join(local, "anode", "Cache");
  }
  if (platform === "darwin") return posix.join(home, "Library", "Caches", "anode");
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && posix.isAbsolute(xdg) ? xdg : posix.join(home, ".cache");
  return posix.join(base, "anode");
}
