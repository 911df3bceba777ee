import { createHash, type Hash } from "node:crypto";
import {
  emptyStats,
  type GossipMeta,
  generateIdentity,
  type LinkOptions,
  MemoryNetwork,
  type NodeIdentity,
  type P2PEvents,
  P2PNode,
  type P2PStats,
  type P2PTunables,
  type PeerConfig,
  type RunResult,
  type ScopedClock,
  type SeededRng,
  seededRng,
  type TraceEvent,
} from "../../src/p2p";
import type { Edges } from "./topology";

export const SIM_NETWORK_ID = "anode-sim";
const SIM_PORT = 7000;

export interface SimulationOptions {
  readonly nodes: number;
  readonly seed: number;
  /** Builds the graph; an edge [i, j] with i < j is dialed by i. */
  readonly topology: (n: number, rng: SeededRng) => Edges;
  readonly link?: Partial<LinkOptions>;
  readonly p2p?: Partial<P2PTunables>;
  /** Per-node application callbacks (a later consensus engine plugs in here). */
  readonly app?: (node: SimNode) => P2PEvents;
  /** Hash every network event, for repeatability checks. */
  readonly trace?: boolean;
}

export interface SimNode {
  readonly index: number;
  readonly host: string;
  readonly address: string;
  readonly identity: NodeIdentity;
  readonly peers: PeerConfig[];
  p2p: P2PNode;
  clock: ScopedClock;
  alive: boolean;
  peerCount: number;
  /** Gossip ids this node received (not counting its own publications). */
  readonly received: Set<string>;
}

/**
 * N P2PNodes on one MemoryNetwork with one virtual clock and one seed: the whole run,
 * including keys and handshake challenges, derives from that seed, so it repeats exactly.
 */
export class Simulation {
  readonly network: MemoryNetwork;
  readonly nodes: SimNode[] = [];
  readonly edges: Edges;
  /** How many nodes received each gossip id. */
  readonly deliveries = new Map<string, number>();
  /** Stats of node processes that were killed, so totals survive churn. */
  private readonly retired: P2PStats[] = [];
  private readonly rng: SeededRng;
  private readonly hash: Hash | undefined;
  private traceEvents = 0;
  /** Sum over live nodes of their connected peers. */
  private peerEnds = 0;
  /** Topology edges between live nodes; recomputed after a kill or restart. */
  private liveLinks: number | undefined;

  constructor(private readonly options: SimulationOptions) {
    this.rng = seededRng(options.seed);
    this.hash = options.trace === true ? createHash("sha256") : undefined;
    this.network = new MemoryNetwork({
      seed: this.rng.fork().next() * 2 ** 32,
      ...(options.link === undefined ? {} : { link: options.link }),
      ...(this.hash === undefined ? {} : { onTrace: (e: TraceEvent) => this.record(e) }),
    });
    this.edges = options.topology(options.nodes, this.rng.fork());
    const identities = Array.from({ length: options.nodes }, () =>
      generateIdentity(this.rng.bytes(32)),
    );
    const peers = identities.map((): PeerConfig[] => []);
    for (const [i, j] of this.edges) {
      peers[i]?.push({ address: `n${j}:${SIM_PORT}`, id: (identities[j] as NodeIdentity).id });
    }
    for (let index = 0; index < options.nodes; index += 1) {
      const host = `n${index}`;
      const node: SimNode = {
        index,
        host,
        address: `${host}:${SIM_PORT}`,
        identity: identities[index] as NodeIdentity,
        peers: peers[index] as PeerConfig[],
        p2p: undefined as unknown as P2PNode,
        clock: undefined as unknown as ScopedClock,
        alive: false,
        peerCount: 0,
        received: new Set(),
      };
      this.build(node);
      this.nodes.push(node);
    }
  }

  get clock() {
    return this.network.clock;
  }

  /** Degree of each node in the topology. */
  degree(index: number): number {
    let d = 0;
    for (const [i, j] of this.edges) if (i === index || j === index) d += 1;
    return d;
  }

  async startAll(): Promise<void> {
    for (const node of this.nodes) {
      await node.p2p.start();
      node.alive = true;
    }
  }

  /** Runs the event loop until `check` holds or `forMs` of virtual time passes. */
  runUntil(check: () => boolean, forMs: number): RunResult {
    return this.clock.run({ until: check, deadline: this.clock.now() + forMs });
  }

  /**
   * True when every live node is connected to each of its live neighbours. Cheap (it runs
   * after every event): peer counts are kept from onPeerUp/onPeerDown, and the sim never
   * connects nodes that are not neighbours.
   */
  connected(): boolean {
    if (this.liveLinks === undefined) {
      this.liveLinks = 0;
      for (const [i, j] of this.edges) {
        if (this.nodes[i]?.alive === true && this.nodes[j]?.alive === true) this.liveLinks += 1;
      }
    }
    return this.peerEnds === 2 * this.liveLinks;
  }

  /** Nodes alive that have not received `id` (the publisher excepted). */
  missing(id: string, publisher: number): number[] {
    return this.nodes
      .filter((n) => n.alive && n.index !== publisher && !n.received.has(id))
      .map((n) => n.index);
  }

  /** SIGKILL: the host drops off the network and the node's timers die with it. */
  kill(index: number): void {
    const node = this.nodes[index] as SimNode;
    node.alive = false;
    this.retired.push(node.p2p.stats());
    this.peerEnds -= node.peerCount;
    node.peerCount = 0;
    this.liveLinks = undefined;
    node.clock.cancelAll();
    this.network.crash(node.host);
  }

  /** A fresh process with the same key and config on the same host. */
  async restart(index: number): Promise<void> {
    const node = this.nodes[index] as SimNode;
    this.build(node);
    await node.p2p.start();
    node.alive = true;
    this.liveLinks = undefined;
  }

  /** Gossip and control counters summed over every node process of the run, killed ones included. */
  totals(): Pick<P2PStats, "gossip" | "control"> {
    const sum = emptyStats();
    for (const stats of [...this.retired, ...this.nodes.map((n) => n.p2p.stats())]) {
      for (const key of Object.keys(sum.gossip) as (keyof P2PStats["gossip"])[]) {
        sum.gossip[key] += stats.gossip[key];
      }
      for (const key of Object.keys(sum.control) as (keyof P2PStats["control"])[]) {
        sum.control[key] += stats.control[key];
      }
    }
    return { gossip: sum.gossip, control: sum.control };
  }

  /** Hex digest of every network event so far (needs `trace: true`). */
  traceHash(): string {
    return `${this.traceEvents}:${this.hash?.copy().digest("hex") ?? "untraced"}`;
  }

  private build(node: SimNode): void {
    node.clock = this.clock.scope();
    const nodeRng = this.rng.fork();
    const app = this.options.app?.(node) ?? {};
    const p2p: P2PNode = new P2PNode(
      {
        networkId: SIM_NETWORK_ID,
        identity: node.identity,
        version: "sim",
        listen: node.address,
        peers: node.peers,
        // The topology is the experiment: no peers beyond it unless a test asks for them.
        pex: false,
        ...this.options.p2p,
      },
      {
        transport: this.network.transport(node.host),
        clock: node.clock,
        rng: nodeRng,
        randomBytes: (n) => nodeRng.bytes(n),
      },
      {
        ...app,
        onPeerUp: (peer) => {
          if (node.p2p !== p2p) return;
          node.peerCount += 1;
          this.peerEnds += 1;
          app.onPeerUp?.(peer);
        },
        onPeerDown: (peer, reason) => {
          if (node.p2p !== p2p) return;
          node.peerCount -= 1;
          this.peerEnds -= 1;
          app.onPeerDown?.(peer, reason);
        },
        onGossip: (topic: string, body: unknown, meta: GossipMeta) => {
          if (!node.received.has(meta.id)) {
            node.received.add(meta.id);
            this.deliveries.set(meta.id, (this.deliveries.get(meta.id) ?? 0) + 1);
          }
          app.onGossip?.(topic, body, meta);
        },
      },
    );
    node.p2p = p2p;
    node.peerCount = 0;
  }

  private record(event: TraceEvent): void {
    this.traceEvents += 1;
    const hash = this.hash as Hash;
    hash.update(`${event.at}|${event.kind}|${event.from}|${event.to}|${event.code ?? ""}|`);
    if (event.data !== undefined) hash.update(event.data);
  }
}
