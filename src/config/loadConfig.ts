import { homedir } from "node:os";
import { resolve } from "node:path";
import { checkApiHost } from "./checkApiHost";
import type { ConfigSource } from "./configError";
import { configLeaves } from "./configLeaves";
import { deepFreeze } from "./deepFreeze";
import type { DeepPartial } from "./deepPartial";
import { defaultNodeOptions } from "./defaultNodeOptions";
import type { NodeOptions } from "./nodeOptions";
import { getAt, setAt } from "./objectPath";
import { plainCopy } from "./plainCopy";
import { pathApi, platformPaths } from "./platformPaths";
import { readConfigFile } from "./readConfigFile";
import { readEnvLayer } from "./readEnvLayer";
import { readFlagLayer } from "./readFlagLayer";

/** Every field may be `undefined` (meaning "not given"), so a CLI can pass its flags through. */
export interface LoadConfigOptions {
  readonly flags?: DeepPartial<NodeOptions> | undefined;
  /** Defaults to `process.env`; tests pass their own so the real one never leaks in. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Wins over `ANODE_CONFIG` and the default location. */
  readonly configFile?: string | undefined;
  readonly platform?: NodeJS.Platform | undefined;
  readonly home?: string | undefined;
  /** Service mode: system-wide data directory and config file. */
  readonly system?: boolean | undefined;
}

export interface LoadedConfig {
  readonly options: NodeOptions;
  /** Absolute path of the config file that was (or would have been) read. */
  readonly configFile: string;
  /** Where each leaf came from, keyed like `config get` (`api.port`). */
  readonly sources: Readonly<Record<string, ConfigSource>>;
}

type Tree = Record<string, unknown>;

export const CONFIG_FILE_ENV = "ANODE_CONFIG";

/**
 * Resolves the node's options: flags > `ANODE_*` environment > config file > defaults.
 * Every layer is validated on its own so an error names the flag, variable or file that
 * holds the bad value.
 */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const path = pathApi(platform);
  const absolute = (p: string, base?: string): string =>
    path.isAbsolute(p) ? path.normalize(p) : base === undefined ? resolve(p) : path.join(base, p);
  const defaults = platformPaths({
    platform,
    env,
    home: opts.home ?? homedir(),
    system: opts.system ?? false,
  });

  const flags = readFlagLayer(opts.flags);
  const fromEnv = readEnvLayer(env);

  // The default config file lives in the data directory, so the data directory is
  // settled (from the layers that cannot come from the file) before the file is found.
  const earlyDataDir = (flags.dataDir ?? fromEnv.dataDir) as string | undefined;
  const envConfig = env[CONFIG_FILE_ENV] === "" ? undefined : env[CONFIG_FILE_ENV];
  const configFile = absolute(
    opts.configFile ??
      envConfig ??
      (opts.system || earlyDataDir === undefined
        ? defaults.configFile
        : path.join(absolute(earlyDataDir), "config.json")),
  );
  const fromFile = readConfigFile(configFile);
  // A relative dataDir in a file means "next to this file": a service's working
  // directory is rarely where the operator expects.
  if (typeof fromFile.dataDir === "string") {
    fromFile.dataDir = absolute(fromFile.dataDir, path.dirname(configFile));
  }
  for (const layer of [flags, fromEnv]) {
    if (typeof layer.dataDir === "string") layer.dataDir = absolute(layer.dataDir);
  }

  const options = plainCopy({ dataDir: defaults.dataDir, ...defaultNodeOptions }) as Tree;
  const sources: Record<string, ConfigSource> = {};
  const layers: ReadonlyArray<readonly [ConfigSource, Tree]> = [
    ["file", fromFile],
    ["env", fromEnv],
    ["flag", flags],
  ];
  for (const leaf of configLeaves) {
    sources[leaf.key] = "default";
    for (const [source, layer] of layers) {
      const value = getAt(layer, leaf.segments);
      if (value === undefined) continue;
      setAt(options, leaf.segments, value);
      sources[leaf.key] = source;
    }
  }

  checkApiHost(
    (options as unknown as NodeOptions).api,
    sources["api.host"] ?? "default",
    configFile,
  );
  return deepFreeze({
    options: options as unknown as NodeOptions,
    configFile,
    sources,
  });
}
