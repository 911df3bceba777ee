import type { LogFormat, LogLevel } from "../logging";
import type { ConsensusOptions } from "./consensusOptions";
import type { UpgradeOptions } from "./upgradeOptions";

export interface PeerAddress {
  readonly address: string;
  readonly id?: string;
}

/**
 * Everything an operator can set, as one typed object. Readonly all the way down because
 * the loaded value is deeply frozen: subsystems read it, nobody patches it at runtime.
 */
export interface NodeOptions {
  readonly dataDir: string;
  readonly api: {
    readonly port: number;
    readonly host: string;
    /** Whether `host` may be a private, not only a loopback, address. */
    readonly privateNetwork: boolean;
  };
  readonly log: {
    readonly level: LogLevel;
    readonly format: LogFormat;
  };
  readonly node: {
    readonly blockIntervalMs: number;
    readonly maxBlockTxs: number;
    readonly networkId: string;
  };
  readonly mempool: {
    readonly maxTxBytes: number;
    readonly maxPending: number;
  };
  readonly executor: {
    readonly workers: number;
  };
  readonly p2p: {
    readonly listen: string;
    readonly peers: readonly PeerAddress[];
    // Optional in the type only (defaults fill them): options built in code before these
    // existed stay valid.
    /** Learn peers from peers (signed address records) and dial them. */
    readonly pex?: boolean;
    readonly targetOutboundPeers?: number;
    readonly maxAddressBook?: number;
    readonly gossip?: "mesh" | "flood";
    readonly meshDegree?: number;
    readonly meshDegreeLow?: number;
    readonly meshDegreeHigh?: number;
  };
  readonly upgrade: UpgradeOptions;
  readonly consensus: ConsensusOptions;
}
