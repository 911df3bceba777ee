import { ConfigError, type ConfigIssue } from "./configError";
import { configLeaves, leafForPointer } from "./configLeaves";
import { setAt } from "./objectPath";
import { parseConfigValue } from "./parseConfigValue";
import { validateOptions } from "./validateOptions";

/**
 * Builds a layer from `ANODE_*` variables, one per schema leaf, coerced by the leaf's
 * type. Empty variables count as unset, as in most service managers' env files.
 * Variables that match no option are ignored: other parts of anode (and wrappers around
 * it) may use the same prefix.
 */
export function readEnvLayer(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const leaf of configLeaves) {
    const raw = env[leaf.env];
    if (raw === undefined || raw === "") continue;
    const parsed = parseConfigValue(raw, leaf.schema);
    if (parsed.ok) setAt(layer, leaf.segments, parsed.value);
    else issues.push({ path: leaf.pointer, message: parsed.message, origin: leaf.env });
  }
  if (issues.length === 0) {
    issues.push(...validateOptions(layer, (path) => leafForPointer(path)?.env ?? "environment"));
  }
  if (issues.length > 0) throw ConfigError.invalid("env", issues);
  return layer;
}
