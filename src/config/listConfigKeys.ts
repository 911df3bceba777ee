import { configLeaves } from "./configLeaves";
import type { SchemaNode } from "./nodeOptionsSchema";

export interface ConfigKeyInfo {
  /** As `config get/set` take it: `api.port`. */
  readonly key: string;
  /** The environment variable that sets it: `ANODE_API_PORT`. */
  readonly env: string;
  readonly type: SchemaNode["type"];
  readonly description: string;
}

/** Every settable key, in schema order, for `config get` listings and help text. */
export function listConfigKeys(): ConfigKeyInfo[] {
  return configLeaves.map((leaf) => ({
    key: leaf.key,
    env: leaf.env,
    type: leaf.schema.type,
    description: leaf.schema.description ?? "",
  }));
}
