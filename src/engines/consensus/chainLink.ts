import { type Block, isLinked } from "./block";

/** What a block of height h must carry on this node: the id of h - 1 and the root after it. */
export interface ChainLink {
  parent: string;
  stateRoot: string;
}

/** How a block fails to extend this node's chain: the field, the block's value and ours. */
export interface LinkMismatch {
  field: "parent" | "stateRoot";
  block: string;
  own: string;
}

/**
 * Whether `block` extends this node's chain. The root is compared first: a different
 * parent almost always comes with a different root, and the root is what says this node
 * computed something else. A block of consensus 1.0.0 carries no links: there is nothing
 * to compare, and it stands on its certificate alone, as it did when it was decided.
 */
export function linkMismatch(
  block: Pick<Block, "parent" | "stateRoot">,
  own: ChainLink,
): LinkMismatch | undefined {
  if (!isLinked(block)) return undefined;
  if (block.stateRoot !== own.stateRoot)
    return { field: "stateRoot", block: block.stateRoot, own: own.stateRoot };
  if (block.parent !== own.parent) return { field: "parent", block: block.parent, own: own.parent };
  return undefined;
}

/** "block says root X, this node computed Y" (or the parent's equivalent). */
export function describeMismatch(m: LinkMismatch): string {
  return m.field === "stateRoot"
    ? `block says root ${m.block}, this node computed ${m.own}`
    : `block says parent ${m.block}, this node has ${m.own}`;
}
