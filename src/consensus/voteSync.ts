import type { ConsensusState, Step } from "./consensusState";
import { MAX_VALIDATORS } from "./limits";
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
  /** Holds a proposal of the round. */
  readonly proposal: boolean;
  readonly prevotes: Uint8Array;
  readonly precommits: Uint8Array;
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
  /** From its last status: `${round}/${type}` → bits by validator index. */
  bits: Map<string, Uint8Array>;
  /** Keys sent to it and not yet shown held, with when. */
  sent: Map<string, SentMark>;
  /** Keys to announce to it at the next frame. */
  announce: string[];
  /** "height/round/step" of the last status sent to it, and when. */
  statusSent: string;
  statusSentAt: number;
  /** Height of the commit last offered to it (it was behind), and when. */
  commitSentFor: number;
  commitSentAt: number;
}

interface SentMark {
  readonly at: number;
  readonly round: number;
  readonly type: MessageType;
  readonly index: number;
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
}

/** Our side, computed once per flush and shared by every neighbour's plan. */
export interface OwnView {
  readonly status: SyncStatus;
  readonly held: readonly HeldMessage[];
}

export interface HeldMessage {
  readonly signed: Signed;
  readonly key: string;
  readonly round: number;
  readonly type: MessageType;
  readonly index: number;
  /** The only message of its signer at (round, type) that we hold: a bit then covers it. */
  readonly sole: boolean;
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
  const m = signed.message;
  return m.type === "proposal"
    ? `${m.height}/${m.round}/p/${m.proposer}/${m.value.id}/${m.validRound}`
    : `${m.height}/${m.round}/${m.type === "prevote" ? "v" : "c"}/${m.voter}/${m.valueId ?? ""}`;
}

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
  const validators = state.config.validators;
  const size = Math.ceil(validators.validators.length / 8);
  const held: HeldMessage[] = [];
  const rounds: RoundBits[] = [];
  for (const [round, r] of state.rounds) {
    const prevotes = new Uint8Array(size);
    const precommits = new Uint8Array(size);
    for (const p of r.proposals) {
      const index = indexOf(validators, p.signed.message.proposer);
      const sole = r.proposals.length === 1;
      held.push({
        signed: p.signed,
        key: messageKey(p.signed),
        round,
        type: "proposal",
        index,
        sole,
      });
    }
    for (const [type, votes, bits] of [
      ["prevote", r.prevotes, prevotes],
      ["precommit", r.precommits, precommits],
    ] as const) {
      for (const [voter, cast] of votes) {
        const index = indexOf(validators, voter);
        if (index >= 0) setBit(bits, index);
        for (const signed of cast) {
          held.push({
            signed,
            key: messageKey(signed),
            round,
            type,
            index,
            sole: cast.length === 1,
          });
        }
      }
    }
    rounds.push({ round, proposal: r.proposals.length > 0, prevotes, precommits });
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
      view.announce = view.announce.filter((k) => heightOfKey(k) >= status.height);
    }
    view.height = status.height;
    view.round = status.round;
    view.step = status.step;
    view.bits = new Map();
    for (const r of status.rounds) {
      if (r.proposal) view.bits.set(`${r.round}/proposal`, ONE);
      view.bits.set(`${r.round}/prevote`, r.prevotes);
      view.bits.set(`${r.round}/precommit`, r.precommits);
    }
    // What we sent a while ago and its status still lacks was lost: it goes again.
    for (const [key, mark] of view.sent) {
      if (options.now - mark.at >= options.resendMs && !covered(view, mark)) view.sent.delete(key);
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
export function noteHeld(sync: VoteSync, key: string, from: string | undefined): void {
  for (const [id, view] of sync.peers) {
    if (id === from) continue;
    if (!view.has.has(key) && !view.sent.has(key)) view.announce.push(key);
  }
}

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
  const s = own.status;
  const position = `${s.height}/${s.round}/${s.step}`;
  const sendStatus =
    position !== view.statusSent || options.now - view.statusSentAt >= options.statusRefreshMs;
  const messages: Signed[] = [];
  const sending = new Set<string>();
  if (view.height === s.height) {
    for (const h of own.held) {
      if (messages.length >= options.maxMessages) break;
      if (!lacks(view, h)) continue;
      messages.push(h.signed);
      sending.add(h.key);
      view.sent.set(h.key, { at: options.now, round: h.round, type: h.type, index: h.index });
    }
  }
  const has = view.announce.filter(
    (k) => !sending.has(k) && !view.has.has(k) && heightOfKey(k) === s.height,
  );
  view.announce = [];
  if (!sendStatus && messages.length === 0 && has.length === 0) return undefined;
  if (sendStatus) {
    view.statusSent = position;
    view.statusSentAt = options.now;
  }
  return {
    ...(sendStatus ? { status: s } : {}),
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
  return !(h.sole && covered(view, h));
}

function covered(view: PeerSync, at: { round: number; type: MessageType; index: number }): boolean {
  const bits = view.bits.get(`${at.round}/${at.type}`);
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
        r.prevotes instanceof Uint8Array &&
        r.precommits instanceof Uint8Array &&
        r.prevotes.length <= MAX_BITS_BYTES &&
        r.precommits.length <= MAX_BITS_BYTES,
    )
  );
}

const ONE = new Uint8Array([1]);
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
