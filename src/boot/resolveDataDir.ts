// The config folder's index would pull ajv and conf into the binary's boot layer; the
// pure path function is all boot needs, so it imports that one file.
import { pathApi, platformPaths } from "./platformPaths";

export interface ResolveDataDirOptions {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  cwd: string;
  /** Reads a config file's text, or undefined when it does not exist. */
  readFile: (path: string) => string | undefined;
}

/**
 * The data directory the app will use, settled before the app is loaded (boot needs it
 * to find installed bundles). Same precedence as the app's loadConfig: `--data-dir`,
 * then `ANODE_DATA_DIR`, then `dataDir` in the config file (`--config`, `ANODE_CONFIG`,
 * or the default one), then the platform default (the system-wide one with `--system`).
 */
export function resolveDataDir(o: ResolveDataDirOptions): string {
  const path = pathApi(o.platform);
  const absolute = (p: string, base: string) =>
    path.isAbsolute(p) ? path.normalize(p) : path.join(base, p);
  const flag = flagValue(o.argv, "--data-dir");
  if (flag !== undefined) return absolute(flag, o.cwd);
  const env = o.env.ANODE_DATA_DIR;
  if (env !== undefined && env !== "") return absolute(env, o.cwd);
  const system = hasFlag(o.argv, "--system");
  const defaults = platformPaths({ platform: o.platform, env: o.env, home: o.home, system });
  const configFlag = flagValue(o.argv, "--config");
  const configEnv = o.env.ANODE_CONFIG === "" ? undefined : o.env.ANODE_CONFIG;
  const configFile = absolute(configFlag ?? configEnv ?? defaults.configFile, o.cwd);
  const fromFile = dataDirInFile(o.readFile(configFile));
  if (fromFile !== undefined) return absolute(fromFile, path.dirname(configFile));
  return defaults.dataDir;
}

/**
 * The config file the app will read, by loadConfig's rule: `--config`, `ANODE_CONFIG`,
 * `<data-dir>/config.json` when the data directory comes from a flag or the environment,
 * else the platform default. Boot reads `upgrade.trustedKeys` from it.
 */
export function resolveConfigFile(o: ResolveDataDirOptions): string {
  const path = pathApi(o.platform);
  const absolute = (p: string) => (path.isAbsolute(p) ? path.normalize(p) : path.join(o.cwd, p));
  const explicit = flagValue(o.argv, "--config") ?? (o.env.ANODE_CONFIG || undefined);
  if (explicit !== undefined) return absolute(explicit);
  const system = hasFlag(o.argv, "--system");
  const early = flagValue(o.argv, "--data-dir") ?? (o.env.ANODE_DATA_DIR || undefined);
  if (!system && early !== undefined) return path.join(absolute(early), "config.json");
  return platformPaths({ platform: o.platform, env: o.env, home: o.home, system }).configFile;
}

/** `--name value` or `--name=value`, before any `--`; the last one wins, as in commander. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") break;
    if (arg === name && i + 1 < argv.length) value = argv[++i];
    else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
  }
  return value === "" ? undefined : value;
}

/** Whether `name` (a flag without a value, like `--system`) is given before any `--`. */
export function hasFlag(argv: readonly string[], name: string): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes(name);
}

function dataDirInFile(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as { dataDir?: unknown };
    return typeof v.dataDir === "string" && v.dataDir !== "" ? v.dataDir : undefined;
  } catch {
    return undefined; // The app reports a malformed file with its path; boot just looks.
  }
}
