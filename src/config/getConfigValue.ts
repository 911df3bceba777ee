import type { NodeOptions } from "./nodeOptions";
import { getAt } from "./objectPath";
import { resolveConfigKey } from "./resolveConfigKey";

/**
 * The value at a dotted key (`api.port`, or a whole section such as `api`), for
 * `config get`. Unknown keys throw CONFIG_UNKNOWN_KEY rather than printing nothing.
 */
export function getConfigValue(options: NodeOptions, key: string): unknown {
  return getAt(options, resolveConfigKey(key).segments);
}
