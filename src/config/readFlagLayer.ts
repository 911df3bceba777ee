import { ConfigError } from "./configError";
import { leafForPointer } from "./configLeaves";
import { plainCopy } from "./plainCopy";
import { validateOptions } from "./validateOptions";

/** Validates flags, naming the flag (by its option key) in each message. */
export function readFlagLayer(flags: object | undefined): Record<string, unknown> {
  const layer = plainCopy(flags ?? {}) as Record<string, unknown>;
  const issues = validateOptions(layer, (path) => {
    const leaf = leafForPointer(path);
    return leaf === undefined ? "flags" : `flag ${leaf.key}`;
  });
  if (issues.length > 0) throw ConfigError.invalid("flag", issues);
  return layer;
}
