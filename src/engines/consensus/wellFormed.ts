import type { Block } from "./block";
import { blockId, decodeBlock, isLinked } from "./block";
import type { ChainState } from "./chainState";
import { decodeBlockTxs } from "./decodeBlockTxs";

/**
 * The id is the block's hash and the block is well formed for this height and proposer.
 * A proposal must name its parent and root: the unlinked layout of consensus 1.0.0 is
 * read from logs and peers' commits, never voted for.
 */
export function wellFormed(
  state: ChainState,
  bytes: unknown,
  height: number,
  proposer: string,
  id: string,
): Block | undefined {
  try {
    if (!(bytes instanceof Uint8Array) || blockId(bytes) !== id) return undefined;
    const block = decodeBlock(bytes);
    if (
      !isLinked(block) ||
      block.chainId !== state.args.chain.chainId ||
      block.height !== height ||
      block.proposer !== proposer
    )
      return undefined;
    decodeBlockTxs(block.txs);
    return block;
  } catch {
    return undefined;
  }
}
