import { defaultConsensusOptions } from "./consensusOptions";
import type { NodeOptions } from "./nodeOptions";
import { defaultUpgradeOptions } from "./upgradeOptions";

/**
 * Defaults for every option except `dataDir`, whose default depends on the platform and
 * on service mode and therefore comes from `platformPaths()`.
 */
export const defaultNodeOptions: Omit<NodeOptions, "dataDir"> = Object.freeze({
  api: Object.freeze({ port: 7710, host: "127.0.0.1", privateNetwork: false }),
  log: Object.freeze({ level: "info", format: "auto" }),
  node: Object.freeze({ blockIntervalMs: 200, maxBlockTxs: 5000, networkId: "anode-dev" }),
  mempool: Object.freeze({ maxTxBytes: 65_536, maxPending: 100_000 }),
  executor: Object.freeze({ workers: 4 }),
  // The p2p layer's own defaults (src/p2p/p2pOptions.ts), repeated: config is read by boot,
  // which must not import app code.
  p2p: Object.freeze({
    listen: "127.0.0.1:7711",
    peers: Object.freeze([]),
    pex: true,
    targetOutboundPeers: 8,
    maxAddressBook: 1000,
    gossip: "mesh",
    meshDegree: 6,
    meshDegreeLow: 4,
    meshDegreeHigh: 12,
  }),
  upgrade: defaultUpgradeOptions,
  consensus: defaultConsensusOptions,
});
