import { nodeOptionsSchema, type SchemaNode } from "./nodeOptionsSchema";

/** A settable value: a scalar, or an array (which is set as one JSON value). */
export interface ConfigLeaf {
  /** Dotted, as typed on the command line: `api.port`. */
  readonly key: string;
  readonly segments: readonly string[];
  /** JSON pointer, as validators report it: `/api/port`. */
  readonly pointer: string;
  readonly env: string;
  readonly schema: SchemaNode;
}

export const ENV_PREFIX = "ANODE_";

function upperSnake(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

function collect(node: SchemaNode, segments: readonly string[], into: ConfigLeaf[]): void {
  if (node.type === "object" && node.properties !== undefined) {
    for (const [name, child] of Object.entries(node.properties)) {
      collect(child, [...segments, name], into);
    }
    return;
  }
  into.push({
    key: segments.join("."),
    segments,
    pointer: `/${segments.join("/")}`,
    env: ENV_PREFIX + segments.map(upperSnake).join("_"),
    schema: node,
  });
}

/**
 * Every leaf of the schema, derived rather than listed so a new option gets its
 * environment variable, `config get/set` key and source tracking without further edits.
 */
export const configLeaves: readonly ConfigLeaf[] = (() => {
  const leaves: ConfigLeaf[] = [];
  collect(nodeOptionsSchema, [], leaves);
  return Object.freeze(leaves);
})();

/** The leaf a validator's pointer falls under, e.g. `/p2p/peers/0/address` → `p2p.peers`. */
export function leafForPointer(pointer: string): ConfigLeaf | undefined {
  return configLeaves.find(
    (leaf) => pointer === leaf.pointer || pointer.startsWith(`${leaf.pointer}/`),
  );
}
