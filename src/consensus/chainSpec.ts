import type { ValidatorSet } from "./validatorSet";

/** One chain: its id and its validators. A node may take part in several. */
export interface ChainSpec {
  readonly chainId: string;
  readonly validators: ValidatorSet;
}
