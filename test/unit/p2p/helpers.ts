import {
  type DirectMessage,
  type GossipMeta,
  generateIdentity,
  type NodeIdentity,
  P2PNode,
  type P2PNodeOptions,
  type PeerInfo,
  type Rejection,
  systemClock,
  systemRng,
  type Transport,
} from "../../../src/p2p";

export const NETWORK = "anode-test";

/** Everything a test node's callbacks saw, in order. */
export interface Recorded {
  up: PeerInfo[];
  down: { peer: PeerInfo; reason: string }[];
  messages: { from: string; msg: DirectMessage }[];
  gossip: { topic: string; body: unknown; meta: GossipMeta }[];
  rejected: Rejection[];
}

export interface TestNode {
  node: P2PNode;
  identity: NodeIdentity;
  seen: Recorded;
}

export function recordingNode(
  transport: Transport,
  options: Partial<P2PNodeOptions>,
  deps: Partial<Omit<ConstructorParameters<typeof P2PNode>[1], "transport">> = {},
): TestNode {
  const identity = options.identity ?? generateIdentity();
  const seen: Recorded = { up: [], down: [], messages: [], gossip: [], rejected: [] };
  const node = new P2PNode(
    // Peer exchange off unless a test turns it on: these tests build exact topologies.
    { networkId: NETWORK, version: "0.0.0-test", peers: [], pex: false, ...options, identity },
    { clock: systemClock, rng: systemRng, ...deps, transport },
    {
      onPeerUp: (peer) => seen.up.push(peer),
      onPeerDown: (peer, reason) => seen.down.push({ peer, reason }),
      onMessage: (from, msg) => seen.messages.push({ from, msg }),
      onGossip: (topic, body, meta) => seen.gossip.push({ topic, body, meta }),
      onRejected: (r) => seen.rejected.push(r),
    },
  );
  return { node, identity, seen };
}

/** Polls `check` in real time until it holds; fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  timeoutMs = 5_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
