import { ConfigError } from "./configError";
import { configLeaves } from "./configLeaves";
import { nodeOptionsSchema, type SchemaNode } from "./nodeOptionsSchema";

export interface ResolvedConfigKey {
  readonly key: string;
  readonly segments: readonly string[];
  readonly pointer: string;
  readonly schema: SchemaNode;
}

/** Finds a key (a leaf like `api.port` or a section like `api`) in the schema. */
export function resolveConfigKey(key: string): ResolvedConfigKey {
  const segments = key.split(".");
  let node: SchemaNode = nodeOptionsSchema;
  for (const segment of segments) {
    const child =
      node.properties !== undefined && Object.hasOwn(node.properties, segment)
        ? node.properties[segment]
        : undefined;
    if (child === undefined) {
      const known = configLeaves.map((leaf) => leaf.key).join(", ");
      throw new ConfigError(
        { code: "CONFIG_UNKNOWN_KEY", path: key },
        `Cannot find config key "${key}": known keys are ${known}`,
      );
    }
    node = child;
  }
  return { key, segments, pointer: `/${segments.join("/")}`, schema: node };
}
