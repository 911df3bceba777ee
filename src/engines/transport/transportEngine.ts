import type { Logger } from "../../logging";
import {
  type DirectMessage,
  type GossipMeta,
  type GossipVerdict,
  P2PNode,
  type P2PNodeOptions,
  type PeerInfo,
  type Rejection,
  systemClock,
  systemRng,
  WsTransport,
} from "../../p2p";
import type { BrokerClient, EngineModule, Router } from "../../runtime";
import { nodeEvent } from "../events";
import {
  CONSENSUS,
  CONSENSUS_TOPIC_PREFIX,
  MEMPOOL,
  MEMPOOL_GOSSIP_TOPIC,
  TRANSPORT,
} from "../names";

/** How many recent gossip messages per topic the node remembers for `GET /v1/gossip`. */
export const RECENT_GOSSIP = 256;
const MAX_RECENT_TOPICS = 64;

/**
 * Plain data and host objects only: the peer manager is built by this module's own init,
 * so an engine restarted on a new module runs the new release's p2p code, not the code
 * of the bundle that built the supervision tree.
 */
export interface TransportArgs {
  p2p: P2PNodeOptions;
  /** For the peer manager's own log lines. */
  log: Logger;
  router: Router;
  broker: BrokerClient;
}

export interface RecentGossip {
  id: string;
  origin: string;
  from: string;
  hops: number;
  at: number;
  body: unknown;
}

interface TransportState {
  p2p: P2PNode;
  router: Router;
  broker: BrokerClient;
  recent: Map<string, RecentGossip[]>;
}

export type TransportCall =
  | { type: "peers" }
  | { type: "stats" }
  | { type: "publish"; topic: string; body: unknown }
  | { type: "recent"; topic: string };

/**
 * What other engines cast: a publish, or the verdict on a message of a validated topic
 * (by the id in its `gossip.received` event), which decides whether it is relayed.
 */
export type TransportCast =
  | { type: "publish"; topic: string; body: unknown }
  | { type: "verdict"; id: string; verdict: GossipVerdict };

const VERDICTS: ReadonlySet<unknown> = new Set<GossipVerdict>(["accept", "reject", "ignore"]);

type TransportInfo =
  | { type: "peerUp"; peer: PeerInfo }
  | { type: "peerDown"; peer: PeerInfo; reason: string }
  | { type: "message"; from: string; msg: DirectMessage }
  | { type: "gossip"; topic: string; body: unknown; meta: GossipMeta }
  | { type: "rejected"; rejection: Rejection };

/**
 * Owns the node's peer connections (a P2PNode over websockets). Socket events arrive as
 * info messages; direct messages go to the router, gossip to whoever handles its topic
 * and to the broker.
 */
export const transportEngine: EngineModule<TransportState, TransportArgs> = {
  name: TRANSPORT,
  version: "1.0.0",
  async init({ p2p: options, log, router, broker }, ctx) {
    const deps = { transport: new WsTransport(), clock: systemClock, rng: systemRng, log };
    // Socket events become mailbox messages: no closure of engine code sits on a socket.
    const p2p = new P2PNode(options, deps, {
      onPeerUp: (peer) => ctx.info({ type: "peerUp", peer }),
      onPeerDown: (peer, reason) => ctx.info({ type: "peerDown", peer, reason }),
      onMessage: (from, msg) => ctx.info({ type: "message", from, msg }),
      onGossip: (topic, body, meta) => ctx.info({ type: "gossip", topic, body, meta }),
      onRejected: (rejection) => ctx.info({ type: "rejected", rejection }),
    });
    await p2p.start();
    router.attach({ sendDirect: (peer, msg) => p2p.sendDirect(peer, msg) });
    return { p2p, router, broker, recent: new Map() };
  },
  handleInfo(msg, state, ctx) {
    const m = msg as TransportInfo;
    switch (m.type) {
      case "message":
        state.router.deliver(m.from, m.msg);
        return state;
      case "gossip": {
        if (m.topic.startsWith(CONSENSUS_TOPIC_PREFIX)) {
          // Frequent, and carrying whole blocks: handed on, not kept in `recent`.
          const chainId = m.topic.slice(CONSENSUS_TOPIC_PREFIX.length);
          ctx.cast(
            { engine: `${CONSENSUS}@${chainId}` },
            { type: "gossip", body: m.body, from: m.meta.from },
          );
          return state;
        }
        remember(state, m.topic, { ...m.meta, at: Date.now(), body: m.body });
        // `mempool.tx` feeds the first chain's mempool, `mempool.tx@<chain>` another's.
        if (m.topic === MEMPOOL_GOSSIP_TOPIC || m.topic.startsWith(`${MEMPOOL_GOSSIP_TOPIC}@`)) {
          const scope = m.topic.slice(MEMPOOL_GOSSIP_TOPIC.length);
          ctx.cast({ engine: `${MEMPOOL}${scope}` }, { type: "submitGossip", txs: m.body });
        }
        state.broker.publish(
          nodeEvent("gossip.received", {
            topic: m.topic,
            id: m.meta.id,
            origin: m.meta.origin,
            hops: m.meta.hops,
          }),
        );
        return state;
      }
      case "peerUp":
        ctx.log.info("peer connected", {
          peer: m.peer.id,
          address: m.peer.address,
          direction: m.peer.direction,
        });
        state.broker.publish(
          nodeEvent("peer.up", {
            id: m.peer.id,
            address: m.peer.address,
            direction: m.peer.direction,
          }),
        );
        return state;
      case "peerDown":
        ctx.log.info("peer disconnected", { peer: m.peer.id, reason: m.reason });
        state.broker.publish(nodeEvent("peer.down", { id: m.peer.id, reason: m.reason }));
        return state;
      case "rejected":
        ctx.log.warn("connection refused", {
          address: m.rejection.address,
          code: m.rejection.code,
          reason: m.rejection.reason,
          ...(m.rejection.peer === undefined ? {} : { peer: m.rejection.peer }),
        });
        return state;
      default:
        return state;
    }
  },
  handleCall(msg, _from, state) {
    const m = msg as TransportCall;
    switch (m.type) {
      case "peers":
        return { reply: state.p2p.peers(), state };
      case "stats":
        return {
          reply: { ...state.p2p.stats(), routerDropped: state.router.droppedMessages },
          state,
        };
      case "publish":
        return { reply: { id: publish(state, m.topic, m.body) }, state };
      case "recent":
        return { reply: state.recent.get(m.topic) ?? [], state };
      default:
        return { reply: undefined, state };
    }
  },
  handleCast(msg, state) {
    const m = msg as Partial<Record<string, unknown>>;
    if (m.type === "publish" && typeof m.topic === "string") publish(state, m.topic, m.body);
    if (m.type === "verdict" && typeof m.id === "string" && VERDICTS.has(m.verdict)) {
      state.p2p.reportValidationResult(m.id, m.verdict as GossipVerdict);
    }
    return state;
  },
  async terminate(_reason, state) {
    state.router.detach();
    await state.p2p.stop();
  },
};

/** Publishes, and remembers our own message like a received one (the p2p layer never echoes it). */
function publish(state: TransportState, topic: string, body: unknown): string {
  const id = state.p2p.publish(topic, body);
  const self = state.router.selfId;
  remember(state, topic, { id, origin: self, from: self, hops: 0, at: Date.now(), body });
  return id;
}

function remember(state: TransportState, topic: string, entry: RecentGossip): void {
  // Topics come from peers: bound how many are remembered, and keep no transaction bodies.
  if (!state.recent.has(topic) && state.recent.size >= MAX_RECENT_TOPICS) {
    const oldest = state.recent.keys().next();
    if (!oldest.done) state.recent.delete(oldest.value);
  }
  if (topic.startsWith(MEMPOOL_GOSSIP_TOPIC)) entry.body = undefined;
  const list = state.recent.get(topic) ?? [];
  list.push(entry);
  if (list.length > RECENT_GOSSIP) list.shift();
  state.recent.set(topic, list);
}
