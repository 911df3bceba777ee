import { posix, win32 } from "node:path";

export interface PlatformPathsOptions {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  /** Service mode: one system-wide data directory and config, not the user's. */
  readonly system?: boolean;
}

export interface PlatformPaths {
  readonly dataDir: string;
  readonly configFile: string;
}

const CONFIG_NAME = "config.json";

// Windows treats variable names case-insensitively; an injected env object does not.
function windowsVar(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  const value = key === undefined ? undefined : env[key];
  return value === "" ? undefined : value;
}

function windowsPaths({ env, home, system }: PlatformPathsOptions): PlatformPaths {
  if (system) {
    // The service account (LocalService, shared with other services) may write the data
    // folder only; the config beside it can replace the release keys, so it sits in the
    // parent, which the service account may only read (see src/service/winswManager.ts).
    const programData = windowsVar(env, "PROGRAMDATA") ?? "C:\\ProgramData";
    const root = win32.join(programData, "anode");
    return { dataDir: win32.join(root, "data"), configFile: win32.join(root, CONFIG_NAME) };
  }
  const localAppData = windowsVar(env, "LOCALAPPDATA") ?? win32.join(home, "AppData", "Local");
  const dataDir = win32.join(localAppData, "anode", "Data");
  return { dataDir, configFile: win32.join(dataDir, CONFIG_NAME) };
}

function macosPaths({ home, system }: PlatformPathsOptions): PlatformPaths {
  if (system) {
    return {
      dataDir: "/Library/Application Support/anode",
      configFile: `/Library/Preferences/anode/${CONFIG_NAME}`,
    };
  }
  const dataDir = posix.join(home, "Library", "Application Support", "anode");
  return { dataDir, configFile: posix.join(dataDir, CONFIG_NAME) };
}

function unixPaths({ env, home, system }: PlatformPathsOptions): PlatformPaths {
  if (system) return { dataDir: "/var/lib/anode", configFile: `/etc/anode/${CONFIG_NAME}` };
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base =
    xdg !== undefined && posix.isAbsolute(xdg) ? xdg : posix.join(home, ".local", "share");
  const dataDir = posix.join(base, "anode");
  return { dataDir, configFile: posix.join(dataDir, CONFIG_NAME) };
}

/**
 * Default data directory and config file for a platform. Pure (everything it reads is
 * passed in) so every platform is testable from any other.
 */
export function platformPaths(options: PlatformPathsOptions): PlatformPaths {
  switch (options.platform) {
    case "win32":
      return windowsPaths(options);
    case "darwin":
      return macosPaths(options);
    default:
      return unixPaths(options);
  }
}

/** The path flavour of a platform, so joins for Windows stay Windows joins in tests on Linux. */
export function pathApi(platform: NodeJS.Platform): typeof posix {
  return platform === "win32" ? win32 : posix;
}
