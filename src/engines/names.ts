/** Registered names of the node's engines; addresses use these. */
export const ROUTER = "router";
export const LOGGER = "logger";
export const STORAGE = "storage";
export const ORDERING = "ordering";
export const MEMPOOL = "mempool";
export const EXECUTOR = "executor";
export const API = "api";
export const TRANSPORT = "transport";
export const CONSENSUS = "consensus";

/** Gossip topic carrying transactions accepted by some node's mempool. */
export const MEMPOOL_GOSSIP_TOPIC = "mempool.tx";

/** Gossip topics of consensus messages: `consensus.<chainId>`. */
export const CONSENSUS_TOPIC_PREFIX = "consensus.";
export const WORKER = "worker";
