import type { Block } from "./block";
import { blockId, decodeBlock } from "./block";
import type { ChainState } from "./chainState";
import { decodeBlockTxs } from "./decodeBlockTxs";

/** The id is the block's hash and the block is well formed for this height and proposer. */
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
