import { randomBytes as cryptoRandomBytes } from "node:crypto";
import type { Logger } from "../logging";
import type { Clock, DirectMessage, GossipVerdict, P2PEvents, PeerInfo, Rng } from "./contract";
import { DirectMessages } from "./directMessages";
import { Gossip } from "./gossip";
import { Links } from "./links";
import type { P2PContext } from "./p2pContext";
import { P2PError } from "./p2pError";
import { defaultP2POptions, type P2PNodeOptions } from "./p2pOptions";
import { emptyStats, type P2PStats } from "./p2pStats";
import { PeerTable } from "./peerTable";
import { Pex } from "./pex";
import { silentLogger } from "./silentLogger";
import type { Transport } from "./transport";

/** What a P2PNode needs from its surroundings; the simulator passes virtual ones. */
export interface P2PDeps {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log?: Logger;
  /** Handshake challenges; node:crypto unless a simulation needs them seeded. */
  readonly randomBytes?: (length: number) => Uint8Array;
}

/**
 * The peer manager: authenticated connections to static, learned and inbound peers
 * (Links, with the PeerTable of who is connected), point-to-point messages
 * (DirectMessages), mesh gossip (Gossip) and peer exchange (Pex). Everything is driven by
 * transport events and the injected clock, so the node runs unchanged on websockets and
 * in the deterministic simulator.
 */
export class P2PNode {
  readonly id: string;
  private readonly ctx: P2PContext;
  private readonly table: PeerTable;
  private readonly links: Links;
  private readonly gossip: Gossip;
  private readonly direct: DirectMessages;
  private readonly pex: Pex;

  constructor(options: P2PNodeOptions, deps: P2PDeps, events: P2PEvents = {}) {
    this.id = options.identity.id;
    const log = deps.log ?? silentLogger;
    const merged = { ...defaultP2POptions, ...options };
    if (
      !(merged.meshDegreeLow <= merged.meshDegree && merged.meshDegree <= merged.meshDegreeHigh)
    ) {
      throw new P2PError(
        { code: "P2P_INVALID_ARGUMENT", argument: "meshDegree" },
        `Cannot start p2p: mesh degrees must satisfy D_low <= D <= D_high (got ${merged.meshDegreeLow}, ${merged.meshDegree}, ${merged.meshDegreeHigh})`,
      );
    }
    this.ctx = {
      id: this.id,
      options: merged,
      clock: deps.clock,
      log,
      counters: emptyStats(),
      events,
      emit: (callback) => {
        try {
          callback();
        } catch (err) {
          log.error("p2p event handler threw", {
            error: err instanceof Error ? err.message : String(err),
          });
        }
      },
    };
    this.table = new PeerTable(this.ctx.options.peers);
    const randomBytes =
      deps.randomBytes ?? ((length: number) => new Uint8Array(cryptoRandomBytes(length)));
    this.links = new Links(
      this.ctx,
      { transport: deps.transport, rng: deps.rng, randomBytes },
      this.table,
      (link, peerId, frame) => {
        switch (frame.type) {
          case "msg":
            this.direct.receive(peerId, frame.message);
            return;
          case "gossip":
            this.gossip.receive(link, peerId, frame);
            return;
          case "ctl":
            this.gossip.control(peerId, frame);
            return;
          case "pex":
            this.pex.receive(link, peerId, frame);
            return;
        }
      },
      {
        up: (link) => {
          this.gossip.peerUp(link.peerId as string);
          this.pex.peerUp(link);
        },
        down: (peerId) => this.gossip.peerDown(peerId),
        full: (link) => this.pex.farewell(link),
      },
    );
    this.gossip = new Gossip(this.ctx, this.table, this.links, deps.rng);
    this.pex = new Pex(this.ctx, options.identity, this.table, this.links, deps.rng);
    this.direct = new DirectMessages(this.ctx, this.table, this.links);
  }

  /** The bound listen address once started (the real port when configured with port 0). */
  get listenAddress(): string | undefined {
    return this.links.listenAddress;
  }

  /** Listens (when configured), dials every static peer and starts the ping timer. */
  async start(): Promise<void> {
    if (this.links.isRunning) return;
    await this.links.start();
    this.gossip.start();
    this.pex.start();
    this.ctx.log.info("p2p started", {
      id: this.id,
      listen: this.listenAddress,
      peers: this.table.slots.length,
    });
  }

  /** Closes every connection ("node stopping"), stops redials and the listener. */
  async stop(): Promise<void> {
    if (!this.links.isRunning) return;
    this.gossip.stop();
    this.pex.stop();
    await this.links.stop();
    this.ctx.log.info("p2p stopped", { id: this.id });
  }

  /**
   * Sends a message to a connected peer. False when the peer is not connected or its
   * connection is over the high-water mark (backpressure): the caller decides whether to
   * retry or fail. Throws P2PError for a message that no peer could accept (too large,
   * or fields out of bounds), since that is a bug of the caller, not a network condition.
   */
  sendDirect(peerId: string, msg: DirectMessage): boolean {
    return this.direct.send(peerId, msg);
  }

  /**
   * Why a direct message to `peerId` cannot go now (P2P_PEER_NOT_DIRECT: not a connected
   * peer, nothing is routed through others; P2P_PEER_CONGESTED), or undefined when it can.
   * sendDirect returning false means one of these.
   */
  unreachable(peerId: string): P2PError | undefined {
    return this.direct.unreachable(peerId);
  }

  /**
   * Publishes `body` on `topic` through the mesh; returns the message id (32 hex chars).
   * The same body published again within seenTtlMs keeps its first id and is
   * re-announced, not sent as a new message.
   */
  publish(topic: string, body: unknown): string {
    if (!this.links.isRunning) {
      throw new P2PError(
        { code: "P2P_NOT_RUNNING" },
        "Cannot publish: the p2p node is not running",
      );
    }
    return this.gossip.publish(topic, body);
  }

  /**
   * The subscriber's verdict on a message of a validated topic, by the id onGossip gave:
   * "accept" relays it, "reject" drops it and closes the peer that sent it (invalid_gossip),
   * "ignore" drops it. False when no such message awaits a verdict (never held, decided
   * already, or timed out): a late verdict changes nothing.
   */
  reportValidationResult(id: string, verdict: GossipVerdict): boolean {
    return this.gossip.reportValidationResult(id, verdict);
  }

  /** Peers in this node's mesh for `topic` (none before the topic is first used). */
  meshPeers(topic: string): string[] {
    return this.gossip.meshPeers(topic);
  }

  /** A peer's gossip score (0 when it has done nothing worth scoring). */
  peerScore(peerId: string): number {
    return this.gossip.scoreOf(peerId);
  }

  /** Authenticated peers, in the order they connected. */
  peers(): PeerInfo[] {
    return this.table.list();
  }

  stats(): P2PStats {
    const c = this.ctx.counters;
    return {
      ...c,
      rejected: { ...c.rejected },
      direct: { ...c.direct },
      gossip: { ...c.gossip },
      control: { ...c.control },
      meshPeers: this.gossip.meshPeerCount,
      pex: { ...c.pex, known: this.pex.known },
      validation: { ...c.validation, pending: this.gossip.pendingCount },
      peers: this.table.size,
      pendingHandshakes: this.table.pending(),
    };
  }
}
