type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a nested value; `undefined` when any segment is missing. */
export function getAt(tree: unknown, segments: readonly string[]): unknown {
  let node: unknown = tree;
  for (const segment of segments) {
    if (!isTree(node) || !Object.hasOwn(node, segment)) return undefined;
    node = node[segment];
  }
  return node;
}

/** Writes a nested value, creating (or replacing non-object) containers on the way. */
export function setAt(tree: Tree, segments: readonly string[], value: unknown): void {
  const last = segments.at(-1);
  if (last === undefined) return;
  let node = tree;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (isTree(next)) {
      node = next;
    } else {
      const created: Tree = {};
      node[segment] = created;
      node = created;
    }
  }
  node[last] = value;
}
