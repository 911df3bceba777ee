import type { Registry as MetricsRegistry } from "prom-client";
import type { BootInfo } from "../boot";
import type { BrokerClient, Mailer } from "../runtime";

/** What the node tells about itself on /v1/status, besides what engines answer. */
export interface NodeInfo {
  version: string;
  nodeId: string;
  networkId: string;
  p2pListen: string;
  pid: number;
  dataDir: string;
  startedAt: number;
  /** Restarts performed by every supervisor, summed. */
  restarts: number;
  /** Restarts by the child's id in its supervisor (an engine's name, or a subtree's). */
  restartsByChild: Record<string, number>;
  /** `mailbox`: messages waiting for the engine now. */
  engines: Array<{ name: string; version: string; status: string; mailbox: number }>;
  /** Which app bundle the binary booted and why (absent when run from source). */
  boot?: BootInfo;
  /** The last start-up or restart of the transaction subtree: what replay found and did. */
  recovery?: {
    checkpointHeight: number;
    checkpointRoot: string;
    verifiedRoot: string;
    replayedBlocks: number;
    replayedEntries: number;
    pending: number;
    height: number;
    root: string;
  };
}

export interface ApiDeps {
  mailer: Mailer;
  broker: BrokerClient;
  token: string;
  metrics: MetricsRegistry;
  nodeInfo(): NodeInfo;
}
