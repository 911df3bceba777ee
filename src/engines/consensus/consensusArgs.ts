import type { ChainSpec, TimeoutOptions } from "../../consensus";
import type { NodeIdentity } from "../../p2p";
import type { BrokerClient } from "../../runtime";
import type { VersionedStore } from "../../storage";
import type { SignGuardArgs } from "./signGuard";

export interface ConsensusArgs {
  chain: ChainSpec;
  identity: NodeIdentity;
  timeouts: TimeoutOptions;
  emptyBlockIntervalMs: number;
  /** Gossip each signed message once besides the sync (absent: yes, as before 1.4.0). */
  gossipMessages?: boolean;
  store: VersionedStore;
  broker: BrokerClient;
  /** The chain's write-ahead record of what this validator signed. */
  guard: SignGuardArgs;
}
