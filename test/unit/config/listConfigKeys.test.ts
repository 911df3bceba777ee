import { describe, expect, it } from "vitest";
import { listConfigKeys } from "../../../src/config";

describe("listConfigKeys()", () => {
  it("derives each key's environment variable from its path", () => {
    expect(listConfigKeys().map(({ key, env, type }) => [key, env, type])).toEqual([
      ["dataDir", "ANODE_DATA_DIR", "string"],
      ["api.port", "ANODE_API_PORT", "integer"],
      ["api.host", "ANODE_API_HOST", "string"],
      ["api.privateNetwork", "ANODE_API_PRIVATE_NETWORK", "boolean"],
      ["log.level", "ANODE_LOG_LEVEL", "string"],
      ["log.format", "ANODE_LOG_FORMAT", "string"],
      ["node.blockIntervalMs", "ANODE_NODE_BLOCK_INTERVAL_MS", "integer"],
      ["node.maxBlockTxs", "ANODE_NODE_MAX_BLOCK_TXS", "integer"],
      ["node.networkId", "ANODE_NODE_NETWORK_ID", "string"],
      ["mempool.maxTxBytes", "ANODE_MEMPOOL_MAX_TX_BYTES", "integer"],
      ["mempool.maxPending", "ANODE_MEMPOOL_MAX_PENDING", "integer"],
      ["executor.workers", "ANODE_EXECUTOR_WORKERS", "integer"],
      ["p2p.listen", "ANODE_P2P_LISTEN", "string"],
      ["p2p.peers", "ANODE_P2P_PEERS", "array"],
      ["p2p.pex", "ANODE_P2P_PEX", "boolean"],
      ["p2p.targetOutboundPeers", "ANODE_P2P_TARGET_OUTBOUND_PEERS", "integer"],
      ["p2p.maxAddressBook", "ANODE_P2P_MAX_ADDRESS_BOOK", "integer"],
      ["p2p.gossip", "ANODE_P2P_GOSSIP", "string"],
      ["p2p.meshDegree", "ANODE_P2P_MESH_DEGREE", "integer"],
      ["p2p.meshDegreeLow", "ANODE_P2P_MESH_DEGREE_LOW", "integer"],
      ["p2p.meshDegreeHigh", "ANODE_P2P_MESH_DEGREE_HIGH", "integer"],
      ["upgrade.policy", "ANODE_UPGRADE_POLICY", "string"],
      ["upgrade.channel", "ANODE_UPGRADE_CHANNEL", "string"],
      ["upgrade.uploadBytesPerSecond", "ANODE_UPGRADE_UPLOAD_BYTES_PER_SECOND", "integer"],
      ["upgrade.maxParallelFetches", "ANODE_UPGRADE_MAX_PARALLEL_FETCHES", "integer"],
      ["upgrade.rolloutWindowMs", "ANODE_UPGRADE_ROLLOUT_WINDOW_MS", "integer"],
      ["upgrade.healthWindowMs", "ANODE_UPGRADE_HEALTH_WINDOW_MS", "integer"],
      ["upgrade.trustedKeys", "ANODE_UPGRADE_TRUSTED_KEYS", "object"],
      ["consensus.chains", "ANODE_CONSENSUS_CHAINS", "array"],
      ["consensus.proposeTimeoutMs", "ANODE_CONSENSUS_PROPOSE_TIMEOUT_MS", "integer"],
      ["consensus.voteTimeoutMs", "ANODE_CONSENSUS_VOTE_TIMEOUT_MS", "integer"],
      ["consensus.timeoutDeltaMs", "ANODE_CONSENSUS_TIMEOUT_DELTA_MS", "integer"],
      ["consensus.emptyBlockIntervalMs", "ANODE_CONSENSUS_EMPTY_BLOCK_INTERVAL_MS", "integer"],
      ["consensus.gossipMessages", "ANODE_CONSENSUS_GOSSIP_MESSAGES", "boolean"],
    ]);
  });

  it("describes every key", () => {
    for (const { key, description } of listConfigKeys()) {
      expect(description, key).not.toBe("");
    }
  });
});
