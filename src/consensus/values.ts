/**
 * What consensus agrees on. The engine builds blocks and hashes them; the core compares
 * only ids and carries the block unopened, so it knows nothing of block encodings.
 */
export type ValueId = string;

export interface ConsensusValue {
  /** The block's hash, as the engine computes it; the signatures cover only this. */
  readonly id: ValueId;
  /** The block itself, opaque to the core. */
  readonly block: unknown;
}
