import {
  addPeer,
  type ChainSpec,
  type CommitCertificate,
  type ConsensusInput,
  type ConsensusMessage,
  type ConsensusState,
  type ConsensusValue,
  createConsensusState,
  createValidatorSet,
  createVoteSync,
  heldMessage,
  needsCommit,
  noteHeld,
  onFrame,
  ownView,
  planFrame,
  restoreHeight,
  type SavedState,
  type SignatureVerifier,
  type Signed,
  type StepResult,
  type SyncFrame,
  type SyncOptions,
  savedState,
  signBytes,
  signVerdict,
  step,
  type TimeoutOptions,
  type VoteSync,
  verifyCertificate,
  verifyMessage,
} from "../../src/consensus";
import { type NodeIdentity, type SeededRng, seededRng, VirtualClock } from "../../src/p2p";
import { type SimCrypto, simIdentity, simVerifier } from "./consensusKeys";
import type { Scenario } from "./consensusScenario";

export const SIM_CHAIN = "sim-chain";

/** Short timeouts: virtual time is free, but each round costs events. */
const SIM_TIMEOUTS: TimeoutOptions = {
  propose: { baseMs: 40, deltaMs: 20 },
  prevote: { baseMs: 20, deltaMs: 10 },
  precommit: { baseMs: 20, deltaMs: 10 },
};
/** Network delay bound once healed (the Δ of partial synchrony). */
const HEALED_MAX_DELAY_MS = 10;
/** How long a straggling message is held back, in multiples of the chaos delay bound. */
const STRAGGLE_FACTOR = 8;
/** Gossip retransmission: each honest node re-sends what it holds for its height this often. */
const REBROADCAST_MS = 150;
/** Heights every honest node must decide after the heal, past the highest decided then. */
const LIVENESS_HEIGHTS = 2;
/** Virtual time the network gets after the heal to decide them. */
export const LIVENESS_BOUND_MS = 20_000;
const MAX_EVENTS = 2_000_000;
/** Peer sync: a node sends its neighbours what changed this long after the first change. */
const SYNC_FLUSH_MS = 10;
/**
 * Peer sync in the simulator: a resend waits past a round trip of the slowest links
 * (2 × 200 ms), so a status sent before our frame arrived does not trigger one.
 */
const SIM_SYNC: SyncOptions = {
  resendMs: 450,
  statusRefreshMs: 500,
  maxMessages: 512,
  relayDelayMs: Number(process.env.CONSENSUS_RELAY_DELAY_MS ?? 0),
};

export interface SimOptions {
  readonly crypto?: SimCrypto;
  /**
   * Self-check only: honest nodes forget their locked and valid values before every step
   * (Algorithm 1's locking, which safety rests on). The simulator must then find
   * safety violations, or its safety check would prove nothing.
   */
  readonly breakLocks?: boolean;
  /** Send a lagging peer the commit it misses (default true); off, only consensus decides. */
  readonly catchUp?: boolean;
  /**
   * Honest validators crash during the chaos and restart from their write-ahead record
   * (what they signed at the height, the lock and valid value) and their decided heights
   * (the store), losing everything else; see `CrashPlan`. `true` draws the plan from the
   * seed; fields given replace the drawn ones (`{ afterLock: 1 }`: a crash at every lock).
   */
  readonly crashes?: boolean | Partial<CrashPlan>;
  /**
   * Self-checks for crashes: a restarted validator forgets the record's lock and valid
   * value ("lock", keeping the position) or the whole record ("all"). The simulator must
   * then find disagreement, or double signing, or its checks would prove nothing.
   */
  readonly forgetOnRestart?: "lock" | "all";
  /**
   * How consensus messages travel. "flood" (the baseline, today's engine in spirit): a
   * node sends what it signs to every peer, relays what it receives to its neighbours
   * (on a `links` topology) and re-sends everything it holds every REBROADCAST_MS.
   * "peers": the vote sync of src/consensus/voteSync between neighbours, nothing re-sent
   * on a timer but a small status.
   */
  readonly sync?: "flood" | "peers";
  /** Event budget per phase (before and after the heal); default MAX_EVENTS. */
  readonly maxEvents?: number;
  /** Debugging: sees every node's final state (index order). */
  readonly inspect?: (states: readonly ConsensusState[]) => void;
}

export interface SimResult {
  readonly seed: number;
  /** Empty when safe; otherwise what conflicted. */
  readonly violations: string[];
  /** Undefined when live: why liveness failed otherwise. */
  readonly stalled?: string;
  /** Virtual ms from the heal until every honest node decided the liveness target. */
  readonly recoveryMs: number;
  readonly heights: number;
  readonly events: number;
  readonly evidence: number;
  /** Validator crashes, and restarts that took a height up from the record. */
  readonly crashes: number;
  readonly restored: number;
  readonly traffic: Traffic;
}

/** What the nodes received over the whole run (live nodes only). */
export interface Traffic {
  readonly nodes: number;
  readonly frames: number;
  /** Consensus messages (signed votes and proposals) inside those frames. */
  readonly messages: number;
  /** Messages the receiver already held, had seen, or had moved past. */
  readonly duplicates: number;
  /** Frames that carried messages, none of them new to the receiver. */
  readonly duplicateFrames: number;
  /** Virtual ms the run lasted. */
  readonly virtualMs: number;
}

/**
 * How a run's honest validators crash, drawn from its seed (apart from the scenario, so
 * runs without crashes stay as they were). A validator crashes right after a signature
 * with chance `afterSign` (`afterLock` for a precommit of a value): before sending it (the record is on disk, the message never
 * left) or after; and at random moments `perSecond` times a virtual second, until the
 * heal. It stays down up to `maxDownMs`.
 */
export interface CrashPlan {
  readonly afterSign: number;
  /** Chance of a crash right after precommitting a value: the moment the lock is taken. */
  readonly afterLock: number;
  readonly perSecond: number;
  readonly maxDownMs: number;
}

function drawCrashPlan(seed: number): CrashPlan {
  const rng = seededRng(seed ^ 0xc4a5);
  return {
    afterSign: rng.next() * 0.15,
    afterLock: rng.next() * 0.5,
    perSecond: rng.next() * 2,
    maxDownMs: 20 + rng.next() * 400,
  };
}

type Packet =
  | { readonly kind: "message"; readonly signed: Signed }
  | { readonly kind: "sync"; readonly frame: SyncFrame }
  | {
      readonly kind: "commit";
      readonly value: ConsensusValue;
      readonly certificate: CommitCertificate;
    };

interface SimNode {
  readonly index: number;
  readonly key: NodeIdentity;
  readonly byzantine: boolean;
  /** Full nodes follow and relay; they sign nothing and never crash here. */
  readonly validator: boolean;
  /** Who it is linked to. */
  readonly neighbours: SimNode[];
  /** Peer sync: what it knows of each neighbour (reset by a crash, its links drop). */
  sync: VoteSync;
  flushPending: boolean;
  /** A flush is due for relayed messages held back by relayDelayMs (see voteSync). */
  relayFlushPending: boolean;
  lastFresh: number;
  state: ConsensusState;
  readonly queue: ConsensusInput[];
  busy: boolean;
  readonly seen: Set<string>;
  /** Its store: survives a crash. */
  readonly decided: Map<number, { value: ConsensusValue; certificate: CommitCertificate }>;
  /** Its write-ahead record on disk: survives a crash. */
  record: SavedState | undefined;
  down: boolean;
  /** Bumped at each crash: timers and deliveries of an earlier life are dropped. */
  life: number;
}

/** Runs one seeded scenario to its end and reports safety and liveness. */
export function runConsensusSim(scenario: Scenario, options: SimOptions = {}): SimResult {
  return new ConsensusSim(scenario, options).run();
}

class ConsensusSim {
  private readonly clock = new VirtualClock();
  private readonly rng: SeededRng;
  private readonly nodes: SimNode[];
  private readonly chain: ChainSpec;
  private readonly verify: SignatureVerifier | undefined;
  /** Height → value id decided by the first honest node to decide it. */
  private readonly committed = new Map<number, string>();
  private readonly violations: string[] = [];
  private evidence = 0;
  private nextValue = 0;
  private readonly crashPlan: CrashPlan | undefined;
  private crashes = 0;
  private restored = 0;
  /** "signer/height/round/type" → what an honest validator signed there. */
  private readonly signedAt = new Map<string, string>();
  private readonly mode: "flood" | "peers";
  private readonly timeouts: TimeoutOptions;
  private readonly traffic = { frames: 0, messages: 0, duplicates: 0, duplicateFrames: 0 };

  constructor(
    private readonly scenario: Scenario,
    private readonly options: SimOptions,
  ) {
    this.rng = seededRng(scenario.seed ^ 0x5eed);
    const crypto = options.crypto ?? "fast";
    this.verify = simVerifier(crypto);
    this.mode = options.sync ?? "flood";
    this.timeouts = scenario.timeouts ?? SIM_TIMEOUTS;
    const count = scenario.powers.length + (scenario.fullNodes ?? 0);
    const keys = Array.from({ length: count }, (_, i) => simIdentity(i, crypto));
    this.chain = {
      chainId: SIM_CHAIN,
      validators: createValidatorSet(
        keys.slice(0, scenario.powers.length).map((k, i) => ({
          id: k.id,
          publicKey: k.publicKey,
          power: scenario.powers[i] as number,
        })),
      ),
    };
    this.nodes = keys.map((key, index) => ({
      index,
      key,
      byzantine: scenario.byzantine.includes(index),
      validator: index < scenario.powers.length,
      neighbours: [],
      sync: createVoteSync(),
      flushPending: false,
      relayFlushPending: false,
      lastFresh: 0,
      state: createConsensusState({ ...this.chain, self: key.id, timeouts: this.timeouts }),
      queue: [],
      busy: false,
      seen: new Set(),
      decided: new Map(),
      record: undefined,
      down: false,
      life: 0,
    }));
    for (const node of this.nodes) {
      const links = scenario.links?.[node.index];
      for (const peer of links === undefined ? this.nodes : links.map((i) => this.nodeAt(i)))
        if (peer !== node) node.neighbours.push(peer);
    }
    for (const node of this.nodes) this.resetSync(node);
    const crashes = options.crashes;
    this.crashPlan =
      crashes === undefined || crashes === false
        ? undefined
        : { ...drawCrashPlan(scenario.seed), ...(crashes === true ? {} : crashes) };
  }

  run(): SimResult {
    for (const node of this.nodes) {
      this.enqueue(node, { type: "start", height: 1 });
      this.retransmit(node);
      if (this.crashPlan !== undefined && !node.byzantine && node.validator)
        this.crashLater(node, this.crashPlan);
    }
    const healAt = this.scenario.chaosMs;
    const maxEvents = this.options.maxEvents ?? MAX_EVENTS;
    let events = this.clock.run({ deadline: healAt, maxEvents }).events;
    const honest = this.nodes.filter((n) => !n.byzantine);
    const target = Math.max(0, ...this.committed.keys()) + LIVENESS_HEIGHTS;
    const live = () => honest.every((n) => n.decided.has(target));
    const after = this.clock.run({
      until: live,
      deadline: healAt + LIVENESS_BOUND_MS,
      maxEvents,
    });
    events += after.events;
    this.options.inspect?.(this.nodes.map((n) => n.state));
    const lagging = honest
      .filter((n) => !n.decided.has(target))
      .map((n) => {
        const st = n.state;
        return `${n.index}@h${st.height}r${st.round}:${st.step},lock${st.lockedRound},valid${st.validRound}`;
      });
    return {
      seed: this.scenario.seed,
      violations: this.violations,
      ...(after.stopped === "done"
        ? {}
        : {
            stalled: `${after.stopped}: nodes [${lagging.join(" ")}] did not decide height ${target}`,
          }),
      recoveryMs: after.now - healAt,
      heights: target,
      events,
      evidence: this.evidence,
      crashes: this.crashes,
      restored: this.restored,
      traffic: { nodes: this.nodes.length, ...this.traffic, virtualMs: after.now },
    };
  }

  private nodeAt(index: number): SimNode {
    const node = this.nodes[index];
    if (node === undefined) throw new Error(`seed ${this.scenario.seed}: no node ${index}`);
    return node;
  }

  /** A (re)started node's links come up afresh: each side forgets what it knew of the other. */
  private resetSync(node: SimNode): void {
    node.sync = createVoteSync();
    node.flushPending = false;
    node.relayFlushPending = false;
    for (const peer of node.neighbours) {
      addPeer(node.sync, String(peer.index));
      addPeer(peer.sync, String(node.index));
    }
  }

  /** Random-moment crashes during the chaos, as a Poisson process per validator. */
  private crashLater(node: SimNode, plan: CrashPlan): void {
    if (plan.perSecond <= 0) return;
    const gap = (-Math.log(1 - this.rng.next()) / plan.perSecond) * 1000;
    this.clock.setTimeout(() => {
      if (this.clock.now() >= this.scenario.chaosMs) return;
      if (!node.down) this.crash(node);
      this.crashLater(node, plan);
    }, gap);
  }

  /** All in memory is lost; the store (`decided`) and the record stay. */
  private crash(node: SimNode): void {
    const plan = this.crashPlan as CrashPlan;
    node.down = true;
    node.life += 1;
    node.queue.length = 0;
    this.crashes += 1;
    this.clock.setTimeout(() => this.restart(node), 1 + this.rng.next() * plan.maxDownMs);
  }

  private restart(node: SimNode): void {
    node.down = false;
    node.seen.clear();
    node.state = createConsensusState({
      ...this.chain,
      self: node.key.id,
      timeouts: this.timeouts,
    });
    this.resetSync(node);
    if (this.options.forgetOnRestart === "all") node.record = undefined;
    const height = node.decided.size + 1;
    const record = node.record;
    if (record !== undefined && record.last.message.height === height) {
      const saved =
        this.options.forgetOnRestart === "lock"
          ? {
              ...record,
              lockedRound: -1,
              lockedValue: null,
              validRound: -1,
              validValue: null,
              validProof: [],
            }
          : record;
      this.restored += 1;
      node.busy = true;
      this.apply(node, restoreHeight(node.state, saved));
      for (
        let next = node.queue.shift();
        next !== undefined && !node.down;
        next = node.queue.shift()
      ) {
        this.process(node, next);
      }
      node.busy = false;
    } else {
      this.enqueue(node, { type: "start", height });
    }
    this.retransmit(node);
  }

  private enqueue(node: SimNode, input: ConsensusInput): void {
    if (node.down) return;
    node.queue.push(input);
    if (node.busy) return;
    node.busy = true;
    for (
      let next = node.queue.shift();
      next !== undefined && !node.down;
      next = node.queue.shift()
    ) {
      this.process(node, next);
    }
    node.busy = false;
    this.scheduleFlush(node);
  }

  /** Runs `fn` later unless the node crashed in between. */
  private later(node: SimNode, fn: () => void, delayMs: number): void {
    const life = node.life;
    this.clock.setTimeout(() => {
      if (node.life === life && !node.down) fn();
    }, delayMs);
  }

  private process(node: SimNode, input: ConsensusInput): void {
    let state = node.state;
    if (this.options.breakLocks === true && !node.byzantine) {
      state = { ...state, lockedRound: -1, lockedValue: null, validRound: -1, validValue: null };
    }
    this.apply(node, step(state, input));
  }

  private apply(node: SimNode, result: StepResult): void {
    node.state = result.state;
    for (const out of result.outputs) {
      if (node.down) return;
      switch (out.type) {
        case "broadcast":
          this.broadcast(node, out.message);
          break;
        case "scheduleTimeout":
          this.later(
            node,
            () =>
              this.enqueue(node, {
                type: "timeout",
                kind: out.kind,
                height: out.height,
                round: out.round,
              }),
            out.durationMs,
          );
          break;
        case "requestValue":
          this.enqueue(node, {
            type: "proposalValue",
            height: out.height,
            round: out.round,
            value: this.newValue(node, out.height, out.round),
          });
          break;
        case "decide":
          this.decided(node, out.value, out.certificate);
          break;
        case "evidence":
          this.evidence += 1;
          break;
      }
    }
  }

  private newValue(node: SimNode, height: number, round: number): ConsensusValue {
    this.nextValue += 1;
    return { id: `v${this.nextValue}`, block: { height, round, proposer: node.index } };
  }

  private sign<M extends ConsensusMessage>(node: SimNode, message: M): Signed<M> {
    return { message, signature: node.key.sign(signBytes(message)) };
  }

  /**
   * Honest: through the write-ahead record (as the engine's guard), then one signed
   * message to all; a crash may come right before or after the sending. Byzantine: see
   * `equivocate`.
   */
  private broadcast(node: SimNode, message: ConsensusMessage): void {
    if (node.byzantine) {
      const signed = this.sign(node, message);
      this.equivocate(node, message, signed);
      this.enqueue(node, { type: "message", signed });
      return;
    }
    const verdict = signVerdict(node.record?.last.message, message);
    if (verdict === "refuse") return;
    const signed =
      verdict === "resend" && node.record !== undefined
        ? node.record.last
        : this.sign(node, message);
    if (verdict === "sign") node.record = savedState(node.state, signed, node.record);
    this.checkSigned(node, signed);
    const plan = this.crashPlan;
    const chance =
      message.type === "precommit" && message.valueId !== null ? plan?.afterLock : plan?.afterSign;
    const crash =
      chance !== undefined && this.clock.now() < this.scenario.chaosMs && this.rng.next() < chance;
    if (crash && this.rng.next() < 0.5) {
      this.crash(node);
      return;
    }
    if (this.mode === "peers") {
      noteHeld(node.sync, heldMessage(signed, this.chain.validators), undefined, this.clock.now());
      // It left before the crash: straight to the neighbours, as the sync would send it.
      if (crash)
        for (const peer of node.neighbours) this.sendFrame(node, peer, { messages: [signed] });
    } else {
      for (const peer of node.neighbours) this.send(node, peer, { kind: "message", signed });
    }
    if (crash) this.crash(node);
    else this.enqueue(node, { type: "message", signed });
  }

  /** Safety of the record itself: an honest validator never signs two messages at one position. */
  private checkSigned(node: SimNode, signed: Signed): void {
    const m = signed.message;
    const key = `${node.index}/${m.height}/${m.round}/${m.type}`;
    // What signBytes covers beyond the position: the value id (and a proposal's validRound).
    const bytes = m.type === "proposal" ? `${m.value.id}/${m.validRound}` : String(m.valueId);
    const before = this.signedAt.get(key);
    if (before === undefined) this.signedAt.set(key, bytes);
    else if (before !== bytes) {
      this.violations.push(
        `node ${node.index} signed two different ${m.type}s at height ${m.height} round ${m.round}`,
      );
    }
  }

  /**
   * Two Byzantine strategies, chosen per message. Split: the message to a random share of
   * the peers and a conflicting one (a fresh proposal ignoring the valid value; the opposite vote) to the
   * others, so honest nodes see different rounds. Vote for everything: a vote for nil and
   * for every value proposed in the round, to every peer, which lends the Byzantine power
   * to any value honest nodes might gather on; only the locks stop two of them committing.
   */
  private equivocate(node: SimNode, message: ConsensusMessage, signed: Signed): void {
    const peers = node.neighbours;
    if (message.type !== "proposal" && this.rng.next() < this.scenario.voteForEverything) {
      const round = node.state.rounds.get(message.round);
      const ids = new Set([
        message.valueId,
        null,
        ...(round?.proposals ?? []).map((p) => p.signed.message.value.id),
      ]);
      for (const valueId of ids) {
        const vote =
          valueId === message.valueId ? signed : this.sign(node, { ...message, valueId });
        for (const peer of peers) this.send(node, peer, { kind: "message", signed: vote });
      }
      return;
    }
    const twin =
      message.type === "proposal"
        ? this.sign(node, {
            ...message,
            value: this.newValue(node, message.height, message.round),
            validRound: -1,
          })
        : this.sign(node, {
            ...message,
            valueId: message.valueId === null ? `byz${this.nextValue++}` : null,
          });
    // an uneven split too: the message to one peer alone is what lets one honest node
    // decide while the others, none the wiser, move to the next round
    const share = this.rng.next();
    for (const peer of peers) {
      this.send(node, peer, { kind: "message", signed: this.rng.next() < share ? signed : twin });
    }
  }

  private decided(node: SimNode, value: ConsensusValue, certificate: CommitCertificate): void {
    const height = certificate.height;
    node.decided.set(height, { value, certificate });
    if (!node.byzantine) {
      const first = this.committed.get(height);
      if (first === undefined) this.committed.set(height, value.id);
      else if (first !== value.id) {
        this.violations.push(
          `height ${height}: node ${node.index} decided ${value.id}, another honest node ${first}`,
        );
      }
    }
    this.later(node, () => this.enqueue(node, { type: "start", height: height + 1 }), 0);
  }

  /**
   * The gossip layer's relay, which Tendermint's liveness assumes: a message one honest
   * node has received reaches every honest node after the network heals. Each honest
   * node periodically re-sends every message it holds for its current height (its own
   * and those it relays); Byzantine nodes relay nothing.
   */
  private retransmit(node: SimNode): void {
    if (this.mode === "peers") {
      // No re-sending: a small status now and then, so a lost frame shows.
      this.later(
        node,
        () => {
          this.flush(node);
          this.retransmit(node);
        },
        SIM_SYNC.statusRefreshMs,
      );
      return;
    }
    this.later(
      node,
      () => {
        if (!node.byzantine) {
          for (const signed of heldMessages(node.state)) {
            for (const peer of node.neighbours) this.send(node, peer, { kind: "message", signed });
          }
        }
        this.retransmit(node);
      },
      REBROADCAST_MS,
    );
  }

  private scheduleFlush(node: SimNode): void {
    if (this.mode !== "peers" || node.flushPending || node.down) return;
    node.flushPending = true;
    this.later(
      node,
      () => {
        node.flushPending = false;
        this.flush(node);
      },
      SYNC_FLUSH_MS,
    );
  }

  /** Relayed messages held back wait for a flush once their delay is over. */
  private scheduleRelayFlush(node: SimNode, delayMs: number): void {
    if (node.relayFlushPending || node.down) return;
    node.relayFlushPending = true;
    const armed = this.clock.now();
    this.later(
      node,
      () => {
        node.relayFlushPending = false;
        this.flush(node);
        const due = node.lastFresh + delayMs - this.clock.now();
        if (node.lastFresh > armed) this.scheduleRelayFlush(node, Math.max(1, due));
      },
      delayMs + 1,
    );
  }

  /** Sends each neighbour what it lacks (the sync's plan), and its commit if it is behind. */
  private flush(node: SimNode): void {
    if (node.byzantine || node.down) return;
    const now = this.clock.now();
    const own = ownView(node.state);
    for (const peer of node.neighbours) {
      const id = String(peer.index);
      const behind = needsCommit(node.sync, id, node.state.height, { now, ...SIM_SYNC });
      const decided = behind === undefined ? undefined : node.decided.get(behind);
      if (decided !== undefined && this.options.catchUp !== false) {
        this.send(node, peer, { kind: "commit", ...decided });
      }
      const frame = planFrame(node.sync, id, own, { ...SIM_SYNC, now });
      if (frame !== undefined) this.sendFrame(node, peer, frame);
    }
  }

  private sendFrame(from: SimNode, to: SimNode, frame: SyncFrame): void {
    this.send(from, to, { kind: "sync", frame });
  }

  private send(from: SimNode, to: SimNode, packet: Packet): void {
    const now = this.clock.now();
    const s = this.scenario;
    const chaos = now < s.chaosMs;
    if (s.linkDelayMs !== undefined) {
      if (chaos && this.partitioned(from.index, to.index, now)) return;
      if (this.rng.next() < (chaos ? s.dropRate : (s.healedDropRate ?? 0))) return;
      this.deliverAfter(to, from, packet, this.linkDelay(from.index, to.index));
      return;
    }
    if (chaos) {
      if (this.partitioned(from.index, to.index, now) || this.rng.next() < s.dropRate) return;
      const copies = this.rng.next() < s.duplicateRate ? 2 : 1;
      for (let i = 0; i < copies; i += 1) {
        const straggle = this.rng.next() < s.straggleRate ? STRAGGLE_FACTOR : 1;
        this.deliverAfter(to, from, packet, 1 + this.rng.next() * s.maxDelayMs * straggle);
      }
    } else {
      this.deliverAfter(to, from, packet, 1 + this.rng.next() * HEALED_MAX_DELAY_MS);
    }
  }

  /** The link's own latency (fixed per link, drawn from the seed) and up to 10 % jitter. */
  private linkDelay(a: number, b: number): number {
    const [min, max] = this.scenario.linkDelayMs as readonly [number, number];
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    let h = (this.scenario.seed * 0x9e3779b1 + lo * 0x85ebca6b + hi * 0xc2b2ae35) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
    const base = min + ((h >>> 0) / 0x1_0000_0000) * (max - min);
    return base * (1 + this.rng.next() * 0.1);
  }

  private partitioned(a: number, b: number, now: number): boolean {
    let groups: readonly number[] | undefined;
    for (const episode of this.scenario.partitions) {
      if (episode.at > now) break;
      groups = episode.groups;
    }
    return groups !== undefined && groups[a] !== groups[b];
  }

  private deliverAfter(to: SimNode, from: SimNode, packet: Packet, delayMs: number): void {
    this.clock.setTimeout(() => this.receive(to, from, packet), delayMs);
  }

  /** The engine's side of a delivery: dedupe, verify, feed the core, help a lagging peer. */
  private receive(node: SimNode, from: SimNode, packet: Packet): void {
    if (node.down) return;
    this.traffic.frames += 1;
    if (packet.kind === "commit") {
      this.applyCommit(node, packet.value, packet.certificate);
      return;
    }
    if (packet.kind === "sync") {
      onFrame(node.sync, String(from.index), packet.frame, {
        now: this.clock.now(),
        resendMs: SIM_SYNC.resendMs,
      });
      const messages = packet.frame.messages ?? [];
      let fresh = 0;
      for (const signed of messages) if (this.receiveMessage(node, from, signed)) fresh += 1;
      if (messages.length > 0 && fresh === 0) this.traffic.duplicateFrames += 1;
      // A status from a peer ahead or behind changes what the next flush offers.
      this.scheduleFlush(node);
      return;
    }
    if (!this.receiveMessage(node, from, packet.signed)) this.traffic.duplicateFrames += 1;
  }

  /** One consensus message: dedupe, verify, feed the core; true when it was new. */
  private receiveMessage(node: SimNode, from: SimNode, signed: Signed): boolean {
    this.traffic.messages += 1;
    const m = signed.message;
    if (m.height < node.state.height) {
      this.traffic.duplicates += 1;
      if (this.mode === "flood") this.helpLagging(node, from, m.height);
      return false;
    }
    // Too far ahead for the core to keep: drop it without remembering it, so a relayed
    // copy is still taken once this node has caught up (remembering it here stalled seed 397).
    if (m.height > node.state.height + 1) return false;
    const key = Buffer.from(signed.signature).toString("hex");
    if (node.seen.has(key)) {
      this.traffic.duplicates += 1;
      return false;
    }
    node.seen.add(key);
    const verdict = verifyMessage(
      signed,
      this.chain,
      this.verify === undefined ? {} : { verify: this.verify },
    );
    if (!verdict.ok)
      throw new Error(`seed ${this.scenario.seed}: honest signature refused: ${verdict.fault}`);
    const now = this.clock.now();
    if (this.mode === "peers") {
      noteHeld(node.sync, heldMessage(signed, this.chain.validators), String(from.index), now);
      const delay = SIM_SYNC.relayDelayMs ?? 0;
      if (delay > 0) {
        node.lastFresh = now;
        this.scheduleRelayFlush(node, delay);
      }
    } else if (this.scenario.links !== undefined && !node.byzantine) {
      // Gossip flooding over the topology: relayed once to every other neighbour.
      for (const peer of node.neighbours)
        if (peer !== from) this.send(node, peer, { kind: "message", signed });
    }
    this.enqueue(node, { type: "message", signed });
    return true;
  }

  private helpLagging(node: SimNode, peer: SimNode, height: number): void {
    const decided = node.decided.get(height);
    if (decided !== undefined && !node.byzantine && this.options.catchUp !== false) {
      this.send(node, peer, {
        kind: "commit",
        value: decided.value,
        certificate: decided.certificate,
      });
    }
  }

  /** Catch-up: a committed block with its certificate, checked like a follower would. */
  private applyCommit(node: SimNode, value: ConsensusValue, certificate: CommitCertificate): void {
    const height = node.state.height;
    if (certificate.height !== height || node.decided.has(height)) return;
    const verdict = verifyCertificate(certificate, {
      chain: this.chain,
      height,
      valueId: value.id,
      ...(this.verify === undefined ? {} : { verify: this.verify }),
    });
    if (!verdict.ok)
      throw new Error(`seed ${this.scenario.seed}: honest certificate refused: ${verdict.fault}`);
    this.decided(node, value, certificate);
  }
}

function heldMessages(state: ConsensusState): Signed[] {
  const held: Signed[] = [];
  for (const round of state.rounds.values()) {
    for (const p of round.proposals) held.push(p.signed);
    for (const votes of [round.prevotes, round.precommits]) {
      for (const cast of votes.values()) held.push(...cast);
    }
  }
  return held;
}
