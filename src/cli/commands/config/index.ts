import { cliError } from "../../cliError";
import type { CommandSpec } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { loadClient, loadConfigModule } from "../../lazy";

const get: CommandSpec = {
  command: "get [key]",
  describe:
    "print the effective value of a setting (all settings without a key), and where it came from",
  async handler({ args, options, io }) {
    const loaded = await (await loadClient()).loadCliConfig(options, io);
    const { getConfigValue, listConfigKeys } = await loadConfigModule();
    const key = args[0];
    if (key === undefined) {
      const rows = listConfigKeys().map((k) => ({
        key: k.key,
        value: getConfigValue(loaded.options, k.key),
        source: loaded.sources[k.key] ?? "default",
        env: k.env,
      }));
      if (options.json) printJson(io, { configFile: loaded.configFile, settings: rows });
      else
        for (const r of rows)
          println(io, `${r.key} = ${JSON.stringify(r.value)}  (${r.source}, env ${r.env})`);
      return 0;
    }
    const known = listConfigKeys().some((k) => k.key === key || k.key.startsWith(`${key}.`));
    if (!known)
      throw cliError(
        EXIT.USAGE,
        "CONFIG_UNKNOWN_KEY",
        `Cannot get ${key}: no such setting (see anode config get)`,
      );
    const value = getConfigValue(loaded.options, key);
    if (options.json) printJson(io, { key, value, source: loaded.sources[key] });
    else println(io, typeof value === "string" ? value : JSON.stringify(value));
    return 0;
  },
};

const set: CommandSpec = {
  command: "set <key> <value>",
  describe: "write a setting to the config file (checked against the schema first)",
  async handler({ args, options, io }) {
    const loaded = await (await loadClient()).loadCliConfig(options, io);
    const [key, raw] = args as [string, string];
    const { setConfigValue } = await loadConfigModule();
    const value = await setConfigValue(loaded.configFile, key, raw);
    if (options.json) printJson(io, { key, value, configFile: loaded.configFile });
    else
      println(
        io,
        `${key} = ${JSON.stringify(value)} in ${loaded.configFile} (restart the node to apply)`,
      );
    return 0;
  },
};

const path: CommandSpec = {
  command: "path",
  describe: "print the config file's path",
  async handler({ options, io }) {
    const loaded = await (await loadClient()).loadCliConfig(options, io);
    if (options.json)
      printJson(io, { configFile: loaded.configFile, dataDir: loaded.options.dataDir });
    else println(io, loaded.configFile);
    return 0;
  },
};

export const configCommand: CommandSpec = {
  command: "config",
  describe: "read and change settings (flags > ANODE_* environment > config file > defaults)",
  subcommands: [get, set, path],
};
