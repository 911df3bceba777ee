import { ConfigError } from "./configError";
import { configStore } from "./configStore";
import { setAt } from "./objectPath";
import { parseConfigValue } from "./parseConfigValue";
import { plainCopy } from "./plainCopy";
import { readRawConfigFile } from "./readConfigFile";
import { resolveConfigKey } from "./resolveConfigKey";
import { validateOptions } from "./validateOptions";

const action = "set config";

/**
 * Sets one key in a config file, for `config set`. The text is parsed by the key's schema
 * type (JSON for arrays and sections) and the whole file is validated after the change,
 * so a file is never written in a state `loadConfig` would refuse. A file that is invalid
 * before the change can still be repaired by setting the offending key.
 *
 * Returns the value as stored.
 */
export async function setConfigValue(
  configFile: string,
  key: string,
  rawValue: string,
): Promise<unknown> {
  const target = resolveConfigKey(key);
  const parsed = parseConfigValue(rawValue, target.schema);
  if (!parsed.ok) {
    throw ConfigError.invalid(
      "file",
      [{ path: target.pointer, message: parsed.message, origin: key }],
      { file: configFile, action },
    );
  }
  const next = plainCopy(readRawConfigFile(configFile, action) ?? {});
  setAt(next, target.segments, parsed.value);
  const issues = validateOptions(next, (path) =>
    path === target.pointer || path.startsWith(`${target.pointer}/`) ? key : configFile,
  );
  if (issues.length > 0) throw ConfigError.invalid("file", issues, { file: configFile, action });
  configStore(configFile).store = next;
  return parsed.value;
}
