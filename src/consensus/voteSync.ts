import type { ConsensusState, Step } from "./consensusState";
import { MAX_PROPOSALS_PER_ROUND, MAX_VALIDATORS, MAX_VALUE_ID_BYTES } from "./limits";
import type { MessageType, Signed } from "./messages";
import type { ValidatorSet } from "./validatorSet";

/**
 * Per-peer consensus message sync, in the spirit of CometBFT's consensus reactor: each
 * node tells its neighbours where it is (height, round, step) and which messages of its
 * height it holds (a bit per validator per round and type), announces the messages it
 * receives, and sends each neighbour only the messages that neighbour is not known to
 * hold. Nothing is re-sent on a timer: a message goes again to a peer only when that
 * peer's later status shows it still lacks it. Plain data and functions (no I/O, no
 * clock: `now` is passed in), so the engine keeps it in its state across a code swap and
 * the simulator runs the very same decisions.
 */

/** Where a node is and what it holds of its height: a bit per validator index. */
export interface SyncStatus {
  readonly height: number;
  readonly round: number;
  readonly step: Step;
  readonly rounds: readonly RoundBits[];
}

export interface RoundBits {
  readonly round: number;
  /** Value ids of the round's proposals it holds. */
  readonly proposals: readonly string[];
  readonly prevotes: readonly VoteBits[];
  readonly precommits: readonly VoteBits[];
}

/**
 * The validators whose vote for `value` (null: nil) it holds, a bit per validator index.
 * Per value, not per validator: an equivocator's two votes are told apart, so every node
 * can still gather the very votes that make another's quorum (its lock's proof).
 */
export interface VoteBits {
  readonly value: string | null;
  readonly bits: Uint8Array;
}

/** What one node sends one neighbour at a time; every field is optional. */
export interface SyncFrame {
  /** Sent when our height, round or step changed since the last one, or to refresh. */
  readonly status?: SyncStatus;
  /** Messages of our height the neighbour is not known to hold. */
  readonly messages?: readonly Signed[];
  /** Keys (`messageKey`) of messages we received since, that the neighbour may not have. */
  readonly has?: readonly string[];
}

/** What this node knows of one neighbour. Mutable, plain data. */
export interface PeerSync {
  /** -1 until its first status. */
  height: number;
  round: number;
  step: Step;
  /** Keys it is known to hold at `height`: it sent them, or announced them. */
  has: Set<string>;
  /** From its last status: `${round}/${type}/${value}` → bits by validator index. */
  bits: Map<string, Uint8Array>;
  /** Keys sent to it and not yet shown held, with when. */
  sent: Map<string, SentMark>;
  /** Keys to announce to it at the next frame. */
  announce: string[];
  /** Keys of our height it may lack, with when we got them: looked at by the next plan. */
  pending: Map<string, Pending>;
  /** The next plan looks at everything we hold (its height changed, or ours). */
  rescan: boolean;
  /** Our height at the last plan for it. */
  plannedHeight: number;
  /** "height/round/step" of the last status sent to it, and when. */
  statusSent: string;
  statusSentAt: number;
  /** Height of the commit last offered to it (it was behind), and when. */
  commitSentFor: number;
  commitSentAt: number;
}

interface Pending {
  readonly since: number;
  /** Undefined for a resend: looked up in what we hold. */
  readonly held?: HeldMessage;
}

interface SentMark {
  readonly at: number;
  readonly round: number;
  readonly type: MessageType;
  readonly index: number;
  readonly value: string | null;
}

export interface VoteSync {
  readonly peers: Map<string, PeerSync>;
}

export interface SyncOptions {
  /** A message sent this long ago and still missing from a newer status goes again. */
  readonly resendMs: number;
  /** A status goes again after this long even with no change (lost frames heal). */
  readonly statusRefreshMs: number;
  /** Bound on messages in one frame; the rest go in the next one. */
  readonly maxMessages: number;
  /**
   * A relayed message goes to a neighbour only once held this long (our own go at once),
   * so that its announcement from a neighbour that has it can arrive first: fewer
   * duplicates for a little latency per hop. 0 sends at once.
   */
  readonly relayDelayMs?: number;
  /** Bound on proposals (whole blocks) in one frame, so a frame stays under its size limit. */
  readonly maxProposals?: number;
}

/** Our side, computed once per flush and shared by every neighbour's plan. */
export interface OwnView {
  readonly position: { readonly height: number; readonly round: number; readonly step: Step };
  /** Built when first read, as are `held` and `byKey`: most flushes need none of them. */
  readonly status: SyncStatus;
  readonly held: readonly HeldMessage[];
  readonly byKey: ReadonlyMap<string, HeldMessage>;
}

export interface HeldMessage {
  readonly signed: Signed;
  readonly key: string;
  readonly round: number;
  readonly type: MessageType;
  readonly index: number;
  /** Its value id (null: a vote for nil). */
  readonly value: string | null;
}

export function createVoteSync(): VoteSync {
  return { peers: new Map() };
}

/** A neighbour connected (or reconnected: what we knew of it is forgotten). */
export function addPeer(sync: VoteSync, peer: string): PeerSync {
  const view: PeerSync = {
    height: -1,
    round: 0,
    step: "idle",
    has: new Set(),
    bits: new Map(),
    sent: new Map(),
    announce: [],
    pending: new Map(),
    rescan: true,
    plannedHeight: -1,
    statusSent: "",
    statusSentAt: Number.NEGATIVE_INFINITY,
    commitSentFor: -1,
    commitSentAt: Number.NEGATIVE_INFINITY,
  };
  sync.peers.set(peer, view);
  return view;
}

export function removePeer(sync: VoteSync, peer: string): void {
  sync.peers.delete(peer);
}

/** Identifies a message by what its signature covers, without hashing it. */
export function messageKey(signed: Signed): string {
  let key = keys.get(signed);
  if (key === undefined) {
    const m = signed.message;
    key =
      m.type === "proposal"
        ? `${m.height}/${m.round}/p/${m.proposer}/${m.value.id}/${m.validRound}`
        : `${m.height}/${m.round}/${m.type === "prevote" ? "v" : "c"}/${m.voter}/${m.valueId ?? ""}`;
    keys.set(signed, key);
  }
  return key;
}

/** Messages are immutable once signed: each one's key is built once. */
const keys = new WeakMap<Signed, string>();
/** The core's states are immutable: a flush with nothing new reuses the view. */
const views = new WeakMap<ConsensusState, OwnView>();

const indexes = new WeakMap<ValidatorSet, Map<string, number>>();

function indexOf(validators: ValidatorSet, id: string): number {
  let map = indexes.get(validators);
  if (map === undefined) {
    map = new Map(validators.validators.map((v, i) => [v.id, i]));
    indexes.set(validators, map);
  }
  return map.get(id) ?? -1;
}

/** Our status and the messages we hold for our height, from the core's state. */
export function ownView(state: ConsensusState): OwnView {
  let view = views.get(state);
  if (view === undefined) {
    view = buildView(state);
    views.set(state, view);
  }
  return view;
}

function buildView(state: ConsensusState): OwnView {
  let all: { status: SyncStatus; held: HeldMessage[] } | undefined;
  let byKey: Map<string, HeldMessage> | undefined;
  const built = () => {
    all ??= buildAll(state);
    return all;
  };
  return {
    position: { height: state.height, round: state.round, step: state.step },
    get status() {
      return built().status;
    },
    get held() {
      return built().held;
    },
    get byKey() {
      byKey ??= new Map(built().held.map((h) => [h.key, h]));
      return byKey;
    },
  };
}

function buildAll(state: ConsensusState): { status: SyncStatus; held: HeldMessage[] } {
  const validators = state.config.validators;
  const size = Math.ceil(validators.validators.length / 8);
  const held: HeldMessage[] = [];
  const rounds: RoundBits[] = [];
  for (const [round, r] of state.rounds) {
    const proposals: string[] = [];
    for (const p of r.proposals) {
      const m = p.signed.message;
      const index = indexOf(validators, m.proposer);
      const key = messageKey(p.signed);
      held.push({ signed: p.signed, key, round, type: "proposal", index, value: m.value.id });
      proposals.push(m.value.id);
    }
    const tallies = { prevote: new Map<string | null, Uint8Array>(), precommit: new Map() };
    for (const [type, votes] of [
      ["prevote", r.prevotes],
      ["precommit", r.precommits],
    ] as const) {
      const byValue = tallies[type];
      for (const [voter, cast] of votes) {
        const index = indexOf(validators, voter);
        for (const signed of cast) {
          const value = signed.message.valueId;
          held.push({ signed, key: messageKey(signed), round, type, index, value });
          let bits = byValue.get(value);
          if (bits === undefined) {
            if (byValue.size >= MAX_SYNC_VALUES) continue;
            bits = new Uint8Array(size);
            byValue.set(value, bits);
          }
          if (index >= 0) setBit(bits, index);
        }
      }
    }
    const list = (m: Map<string | null, Uint8Array>) =>
      [...m].map(([value, bits]) => ({ value, bits }));
    rounds.push({
      round,
      proposals,
      prevotes: list(tallies.prevote),
      precommits: list(tallies.precommit),
    });
  }
  rounds.sort((a, b) => a.round - b.round);
  return {
    status: {
      height: state.height,
      round: state.round,
      step: state.step,
      rounds: rounds.slice(-MAX_SYNC_ROUNDS),
    },
    held,
  };
}

/**
 * A frame from `peer` arrived: its status replaces what we knew of its height (a height
 * change forgets the rest), its announcements and messages count as held by it. Messages
 * are the caller's to verify and feed in; this only notes that the peer has them.
 */
export function onFrame(
  sync: VoteSync,
  peer: string,
  frame: SyncFrame,
  options: { readonly now: number; readonly resendMs: number },
): void {
  const view = sync.peers.get(peer) ?? addPeer(sync, peer);
  const status = frame.status;
  if (status !== undefined && isStatus(status)) {
    if (status.height !== view.height) {
      view.has.clear();
      view.sent.clear();
      view.rescan = true;
      view.announce = view.announce.filter((k) => heightOfKey(k) >= status.height);
    }
    view.height = status.height;
    view.round = status.round;
    view.step = status.step;
    view.bits = new Map();
    for (const r of status.rounds) {
      for (const id of r.proposals) view.bits.set(`${r.round}/proposal/${id}`, ONE);
      for (const v of r.prevotes) view.bits.set(`${r.round}/prevote/${v.value ?? ""}`, v.bits);
      for (const v of r.precommits) view.bits.set(`${r.round}/precommit/${v.value ?? ""}`, v.bits);
    }
    // What we sent a while ago and its status still lacks was lost: it goes again.
    for (const [key, mark] of view.sent) {
      if (options.now - mark.at >= options.resendMs && !covered(view, mark)) {
        view.sent.delete(key);
        view.pending.set(key, RESEND);
      }
    }
  }
  const has = Array.isArray(frame.has) ? frame.has.slice(0, MAX_SYNC_KEYS) : [];
  for (const key of has)
    if (typeof key === "string" && key.length <= MAX_KEY_LENGTH) noteKey(view, key);
  const messages = Array.isArray(frame.messages) ? frame.messages : [];
  for (const signed of messages) {
    const m = signed?.message;
    if (typeof m === "object" && m !== null && m.height === view.height) {
      noteKey(view, messageKey(signed));
    }
  }
}

/** We hold a new message (received from `from`, or our own): the other neighbours hear of it. */
export function noteHeld(
  sync: VoteSync,
  held: HeldMessage,
  from: string | undefined,
  now: number,
): void {
  const key = held.key;
  const pending = { since: from === undefined ? Number.NEGATIVE_INFINITY : now, held };
  for (const [id, view] of sync.peers) {
    if (id === from || view.has.has(key) || view.sent.has(key)) continue;
    view.announce.push(key);
    view.pending.set(key, pending);
  }
}

/** A message as the sync files it: `noteHeld`'s argument. */
export function heldMessage(signed: Signed, validators: ValidatorSet): HeldMessage {
  const m = signed.message;
  const signer = m.type === "proposal" ? m.proposer : m.voter;
  return {
    signed,
    key: messageKey(signed),
    round: m.round,
    type: m.type,
    index: indexOf(validators, signer),
    value: m.type === "proposal" ? m.value.id : m.valueId,
  };
}

const RESEND: Pending = { since: Number.NEGATIVE_INFINITY };

/**
 * The frame to send `peer` now, or undefined when it needs nothing: our status if it
 * changed (or is due again), the messages of our height it is not known to hold, and the
 * announcements queued for it. What it returns is marked as sent.
 */
export function planFrame(
  sync: VoteSync,
  peer: string,
  own: OwnView,
  options: SyncOptions & { readonly now: number },
): SyncFrame | undefined {
  const view = sync.peers.get(peer);
  if (view === undefined) return undefined;
  const s = own.position;
  const position = `${s.height}/${s.round}/${s.step}`;
  const sendStatus =
    position !== view.statusSent || options.now - view.statusSentAt >= options.statusRefreshMs;
  const messages: Signed[] = [];
  if (view.height !== s.height || view.plannedHeight !== s.height) {
    // Nothing of our height for a peer elsewhere; once at one height, one full look.
    view.pending.clear();
    view.rescan = true;
    view.plannedHeight = s.height;
  }
  if (view.height === s.height) {
    const delay = options.relayDelayMs ?? 0;
    let proposals = 0;
    const full = (h: HeldMessage) =>
      messages.length >= options.maxMessages ||
      (h.type === "proposal" && proposals >= (options.maxProposals ?? Number.POSITIVE_INFINITY));
    const send = (h: HeldMessage) => {
      if (h.type === "proposal") proposals += 1;
      messages.push(h.signed);
      const { round, type, index, value } = h;
      view.sent.set(h.key, { at: options.now, round, type, index, value });
    };
    if (view.rescan) {
      view.pending.clear();
      view.rescan = false;
      for (const h of own.held) {
        if (!lacks(view, h)) continue;
        if (full(h)) view.pending.set(h.key, RESEND);
        else send(h);
      }
    } else {
      for (const [key, p] of view.pending) {
        const h = p.held ?? own.byKey.get(key);
        if (h === undefined || h.signed.message.height !== s.height || !lacks(view, h))
          view.pending.delete(key);
        else if (!full(h) && options.now - p.since >= delay) {
          send(h);
          view.pending.delete(key);
        }
      }
    }
  }
  // It may hold them too, and would send them to us unless told we have them.
  const has = view.announce.filter((k) => !view.sent.has(k) && heightOfKey(k) === s.height);
  view.announce = [];
  if (!sendStatus && messages.length === 0 && has.length === 0) return undefined;
  if (sendStatus) {
    view.statusSent = position;
    view.statusSentAt = options.now;
  }
  return {
    ...(sendStatus ? { status: own.status } : {}),
    ...(messages.length > 0 ? { messages } : {}),
    ...(has.length > 0 ? { has } : {}),
  };
}

/**
 * True when `peer` is at a height below `height` (which we decided) and was not offered
 * its commit lately: the caller sends it (or the peer fetches it); then it is marked.
 */
export function needsCommit(
  sync: VoteSync,
  peer: string,
  height: number,
  options: { readonly now: number; readonly resendMs: number },
): number | undefined {
  const view = sync.peers.get(peer);
  if (view === undefined || view.height < 0 || view.height >= height) return undefined;
  if (view.commitSentFor === view.height && options.now - view.commitSentAt < options.resendMs)
    return undefined;
  view.commitSentFor = view.height;
  view.commitSentAt = options.now;
  return view.height;
}

function lacks(view: PeerSync, h: HeldMessage): boolean {
  if (view.has.has(h.key) || view.sent.has(h.key)) return false;
  return !covered(view, h);
}

function covered(
  view: PeerSync,
  at: { round: number; type: MessageType; index: number; value: string | null },
): boolean {
  const bits = view.bits.get(`${at.round}/${at.type}/${at.value ?? ""}`);
  if (bits === undefined) return false;
  return at.type === "proposal" || hasBit(bits, at.index);
}

function noteKey(view: PeerSync, key: string): void {
  if (heightOfKey(key) === view.height) {
    view.has.add(key);
    view.sent.delete(key);
  }
}

function heightOfKey(key: string): number {
  return Number(key.slice(0, key.indexOf("/")));
}

function isStatus(s: SyncStatus): boolean {
  return (
    typeof s === "object" &&
    s !== null &&
    Number.isSafeInteger(s.height) &&
    Number.isSafeInteger(s.round) &&
    typeof s.step === "string" &&
    Array.isArray(s.rounds) &&
    s.rounds.length <= MAX_SYNC_ROUNDS &&
    s.rounds.every(
      (r) =>
        typeof r === "object" &&
        r !== null &&
        Number.isSafeInteger(r.round) &&
        Array.isArray(r.proposals) &&
        r.proposals.length <= MAX_PROPOSALS_PER_ROUND &&
        r.proposals.every(
          (id: unknown) => typeof id === "string" && id.length <= MAX_VALUE_ID_BYTES,
        ) &&
        isVoteBits(r.prevotes) &&
        isVoteBits(r.precommits),
    )
  );
}

function isVoteBits(list: readonly VoteBits[]): boolean {
  return (
    Array.isArray(list) &&
    list.length <= MAX_SYNC_VALUES &&
    list.every(
      (v) =>
        typeof v === "object" &&
        v !== null &&
        (v.value === null ||
          (typeof v.value === "string" && v.value.length <= MAX_VALUE_ID_BYTES)) &&
        v.bits instanceof Uint8Array &&
        v.bits.length <= MAX_BITS_BYTES,
    )
  );
}

const ONE = new Uint8Array([1]);
/** Values a status names per round and type (nil and the proposals in the honest case). */
export const MAX_SYNC_VALUES = 8;
/** A status names at most this many rounds (a peer far past round 64 is told by commits). */
export const MAX_SYNC_ROUNDS = 64;
/** Announcements read from one frame. */
export const MAX_SYNC_KEYS = 4096;
/** A key holds a height, a round, a validator id and a value id. */
const MAX_KEY_LENGTH = 400;
const MAX_BITS_BYTES = Math.ceil(MAX_VALIDATORS / 8);

function setBit(bits: Uint8Array, i: number): void {
  const byte = i >> 3;
  bits[byte] = (bits[byte] ?? 0) | (1 << (i & 7));
}

function hasBit(bits: Uint8Array, i: number): boolean {
  if (i < 0) return false;
  return (((bits[i >> 3] ?? 0) >> (i & 7)) & 1) === 1;
}
