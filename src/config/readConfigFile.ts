import { statSync } from "node:fs";
import { ConfigError } from "./configError";
import { configStore } from "./configStore";
import { plainCopy } from "./plainCopy";
import { validateOptions } from "./validateOptions";

function unreadable(file: string, action: string, err: unknown): ConfigError {
  const reason = err instanceof Error ? err.message : String(err);
  return new ConfigError(
    { code: "CONFIG_UNREADABLE", file },
    `Cannot ${action}: ${file}: ${reason}`,
    {
      cause: err,
    },
  );
}

function exists(file: string, action: string): boolean {
  try {
    statSync(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw unreadable(file, action, err);
  }
}

/** Reads the raw store of a config file, or `undefined` when there is none. */
export function readRawConfigFile(
  file: string,
  action = "load config",
): Record<string, unknown> | undefined {
  // Checked first because conf creates the directory of a missing file, and a read must
  // not leave /etc/anode behind (or fail on it) just because the file is absent.
  if (!exists(file, action)) return undefined;
  try {
    return plainCopy(configStore(file).store);
  } catch (err) {
    if (err instanceof Error && err.name === "SyntaxError") {
      const issue = { path: "/", message: "not valid JSON", origin: file };
      throw ConfigError.invalid("file", [issue], { file, action });
    }
    throw unreadable(file, action, err);
  }
}

/** Reads and validates a config file; a missing file is an empty layer. */
export function readConfigFile(file: string): Record<string, unknown> {
  const store = readRawConfigFile(file);
  if (store === undefined) return {};
  const issues = validateOptions(store, () => file);
  if (issues.length > 0) throw ConfigError.invalid("file", issues, { file });
  return store;
}
