/** One validator of a chain, as configured: its node id, ed25519 public key (base64), power. */
export interface ValidatorSetting {
  readonly id: string;
  readonly publicKey: string;
  readonly power: number;
}

/** A chain this node follows (and validates, when its id is among the validators). */
export interface ChainSetting {
  readonly chainId: string;
  readonly validators: readonly ValidatorSetting[];
}

export interface ConsensusOptions {
  /** No chains: the node cuts its own blocks (single-node mode). */
  readonly chains: readonly ChainSetting[];
  /** Round-0 timeouts; each later round waits `timeoutDeltaMs` longer. */
  readonly proposeTimeoutMs: number;
  readonly voteTimeoutMs: number;
  readonly timeoutDeltaMs: number;
  /** With nothing to order, a proposer still proposes an (empty) block this often. */
  readonly emptyBlockIntervalMs: number;
  /**
   * Also gossip each signed message once (the vote sync between neighbours carries them
   * anyway): for peers still on a version without the sync. Off once all nodes have it.
   */
  readonly gossipMessages: boolean;
}

export const defaultConsensusOptions: ConsensusOptions = Object.freeze({
  chains: Object.freeze([]),
  proposeTimeoutMs: 3000,
  voteTimeoutMs: 1000,
  timeoutDeltaMs: 500,
  emptyBlockIntervalMs: 1000,
  gossipMessages: true,
});
