import {
  type CommitCertificate,
  type ConsensusInput,
  type ConsensusMessage,
  type ConsensusOutput,
  createConsensusState,
  createVoteSync,
  type Proposal,
  restoreHeight,
  type Signed,
  type StepResult,
  savedState,
  signBytes,
  signerOf,
  step,
  verifyCertificate,
  verifyMessage,
} from "../../consensus";
import type { EngineContext, EngineModule, From } from "../../runtime";
import { nodeEvent } from "../events";
import { CONSENSUS, CONSENSUS_TOPIC_PREFIX, MEMPOOL, ORDERING, TRANSPORT } from "../names";
import {
  type ActivationCast,
  activationKey,
  MAX_BUFFERED_MESSAGES,
  parseActivationCast,
  supersedes,
} from "./activation";
import {
  castActivationDue,
  castActivationPassed,
  heldFrom,
  pausedAt,
  reachActivation,
  STARTUP_HOLD_MS,
} from "./activationPause";
import {
  type Block,
  blockId,
  decodeBlock,
  encodeBlock,
  GENESIS_PARENT,
  MAX_BLOCK_BYTES,
  MAX_BLOCK_TXS,
  MAX_GOSSIP_BLOCK_BYTES,
} from "./block";
import {
  type ChainState,
  type StateBefore110,
  withLinkFields,
  withMetrics,
  withSignRecord,
  withValidatorSets,
  withVoteSync,
} from "./chainState";
import type { ConsensusArgs } from "./consensusArgs";
import { countStep, newConsensusMetrics, observeCommit } from "./consensusMetrics";
import { consensusStatus } from "./consensusStatus";
import { decodeBlockTxs } from "./decodeBlockTxs";
import { divergent, haltChain, reportDivergence } from "./divergence";
import { ownLink } from "./ownLink";
import {
  flush,
  isNoted,
  noteMessage,
  onNeighbours,
  onSyncCast,
  parseSyncCast,
  readNeighbours,
  SYNC_REFRESH_MS,
  scheduleFlush,
} from "./peerSync";
import { MAX_COMMITS_PER_REQUEST, readCommits } from "./readCommits";
import { guardVerdict, loadSignRecord, savedAt, saveSignRecord } from "./signGuard";
import {
  chainAt,
  noteDecided,
  onSetsLoaded,
  refreshSets,
  type ValidatorSets,
} from "./validatorSets";
import { wellFormed } from "./wellFormed";

export type { ConsensusArgs } from "./consensusArgs";
export { MAX_COMMITS_PER_REQUEST } from "./readCommits";

/**
 * The sync's refresh tick (its name kept from when it re-published everything, so a timer
 * in flight across a hot swap from 1.3.0 goes on): the status again, the neighbours read.
 */
export const REBROADCAST_MS = SYNC_REFRESH_MS;
const CATCH_UP_INTERVAL_MS = 500;
const VALUE_POLL_MS = 25;
/** How often the store is looked at while something waits for it to commit a height. */
const STORE_POLL_MS = 10;
/** Proposals kept while the store catches up (one per round and proposer is the honest case). */
const MAX_DEFERRED_PROPOSALS = 16;

export function consensusTopic(chainId: string): string {
  return `${CONSENSUS_TOPIC_PREFIX}${chainId}`;
}

export type ConsensusCall =
  | { type: "status" }
  | { type: "getCommits"; chainId: string; from: number; max: number };

type ConsensusInfo =
  | { type: "timeout"; input: ConsensusInput; epoch?: number }
  | { type: "reaped"; height: number; round: number; txs: Uint8Array[] }
  | { type: "retryValue"; height: number; round: number }
  | { type: "rebroadcast" }
  | { type: "syncFlush" }
  | { type: "syncPeers"; ids: string[] }
  | { type: "commits"; commits: unknown }
  | { type: "commitsFailed" }
  | { type: "pollStore" }
  | { type: "idLoaded"; height: number; id: string | null }
  | { type: "resendActivationDue"; version: string; height: number }
  | { type: "endHold" }
  | ({ type: "setsLoaded" } & Omit<ValidatorSets, "waitingStart">);

/**
 * Drives one chain's pure Tendermint state machine: verifies and feeds in messages from
 * the network, signs and gossips what it says, turns timeouts into timers, builds
 * proposals from the mempool, hands decided blocks to ordering, and catches up from
 * peers' stored commits when it has fallen behind. Every block names its parent and the
 * state root before it: this node votes only for blocks that extend what it computed,
 * and halts rather than apply a decided block that does not. An upgrade activated at a
 * height pauses the chain there until the new code runs.
 */
export const consensusEngine: EngineModule<ChainState, ConsensusArgs> = {
  name: CONSENSUS,
  version: "1.5.0",
  init(args, ctx) {
    const record = loadSignRecord(args.guard.file, args.chain, args.identity.id);
    const state: ChainState = {
      args,
      core: newCore(args),
      epoch: 0,
      own: [],
      seen: new Map(),
      lastCommit: undefined,
      highestSeen: args.store.height,
      catchUp: { inFlight: false, last: 0 },
      stats: { decided: 0, rejected: 0, evidence: 0, caughtUp: 0, diverged: 0, recordFailures: 0 },
      metrics: newConsensusMetrics(),
      ids: new Map(),
      loadingId: undefined,
      held: [],
      deferred: [],
      judged: new Map(),
      polling: false,
      halted: undefined,
      alarm: undefined,
      activation: undefined,
      activated: undefined,
      lateActivation: undefined,
      holdHeight: args.store.height + 1,
      buffered: [],
      record,
      // Read before the first height starts (see validatorSets).
      sets: {
        stored: undefined,
        asOf: -1,
        changes: [args.store.height],
        loading: false,
        broken: undefined,
        waitingStart: undefined,
      },
      sync: createVoteSync(),
      neighbours: new Set(),
      synced: { height: args.store.height + 1, keys: new Set() },
      flushing: false,
      partsOut: new Map(),
      partsIn: new Map(),
    };
    refreshSets(state, ctx);
    readNeighbours(ctx);
    if (record.kind === "broken") refuseSigning(state, ctx, record.reason);
    drive(state, ctx, { type: "start", height: args.store.height + 1 });
    ctx.sendAfter(STARTUP_HOLD_MS, { type: "endHold" });
    ctx.sendAfter(REBROADCAST_MS, { type: "rebroadcast" });
    return state;
  },
  codeChange(_fromVersion, old) {
    return withMetrics(
      withVoteSync(withValidatorSets(withSignRecord(withLinkFields(old as StateBefore110)))),
    );
  },
  handleCast(msg, state, ctx) {
    const m = msg as { type?: string; body?: unknown; from?: string };
    if (m.type === "gossip") {
      if (isNoted(state, m.body as Signed)) return state;
      if (onGossip(state, ctx, m.body, m.from)) noteMessage(state, m.body as Signed, m.from);
      scheduleFlush(state, ctx);
      return state;
    }
    const sync = parseSyncCast(msg);
    if (sync !== undefined) {
      for (const signed of onSyncCast(state, sync)) {
        if (isNoted(state, signed)) continue;
        // A block in parts waits for them (or arrived whole just now with its last part).
        if (onGossip(state, ctx, signed, sync.from)) noteMessage(state, signed, sync.from);
      }
      // A neighbour ahead of us: we missed decisions, fetch them from it.
      const height = sync.frame.status?.height;
      if (typeof height === "number" && height > state.core.height) {
        state.highestSeen = Math.max(state.highestSeen, height - 1);
        requestCommits(state, ctx, sync.from);
      }
      scheduleFlush(state, ctx);
      return state;
    }
    const activation = parseActivationCast(msg);
    if (activation !== undefined) onActivationCast(state, ctx, activation);
    return state;
  },
  handleInfo(msg, state, ctx) {
    const next = onInfo(msg as ConsensusInfo, state, ctx);
    const m = msg as ConsensusInfo;
    // Whatever moved the core (a timeout, a commit fetched, the store) shows in the status.
    if (m.type !== "syncFlush" && m.type !== "syncPeers" && m.type !== "rebroadcast")
      scheduleFlush(state, ctx);
    return next;
  },
  async handleCall(msg, from, state, ctx) {
    const m = msg as ConsensusCall;
    if (m?.type === "status") return { reply: consensusStatus(state), state };
    if (m?.type === "getCommits") return { reply: await readCommits(state, m), state };
    ctx.replyError(from as From, new Error("Cannot serve consensus call: unknown request type"));
    return { noreply: true, state };
  },
};

function onInfo(m: ConsensusInfo, state: ChainState, ctx: EngineContext): ChainState {
  switch (m.type) {
    case "timeout":
      if (m.epoch !== undefined && m.epoch !== state.epoch) return state;
      if (pausedAt(state, m.input.type === "timeout" ? m.input.height : -1)) return state;
      drive(state, ctx, m.input);
      return state;
    case "reaped":
    case "retryValue":
      proposeIfReady(state, ctx, m.height, m.round, m.type === "reaped" ? m.txs : undefined);
      return state;
    case "rebroadcast":
      readNeighbours(ctx);
      flush(state, ctx);
      ctx.sendAfter(REBROADCAST_MS, { type: "rebroadcast" });
      return state;
    case "syncFlush":
      flush(state, ctx);
      return state;
    case "syncPeers":
      onNeighbours(state, ctx, m.ids);
      return state;
    case "commits":
      state.catchUp.inFlight = false;
      applyCommits(state, ctx, m.commits);
      return state;
    case "commitsFailed":
      state.catchUp.inFlight = false;
      return state;
    case "pollStore":
      state.polling = false;
      wake(state, ctx);
      return state;
    case "idLoaded":
      onIdLoaded(state, ctx, m.height, m.id);
      return state;
    case "setsLoaded":
      onSets(state, ctx, m);
      return state;
    case "endHold": {
      const held = state.holdHeight;
      state.holdHeight = undefined;
      if (held !== undefined) resume(state, ctx, held);
      return state;
    }
    case "resendActivationDue": {
      const a = state.activation;
      if (a?.state === "waiting" && a.version === m.version && a.height === m.height) {
        castActivationDue(state, ctx);
      }
      return state;
    }
    default:
      return state;
  }
}

function newCore(args: ConsensusArgs) {
  return createConsensusState({
    chainId: args.chain.chainId,
    validators: args.chain.validators,
    self: args.identity.id,
    timeouts: args.timeouts,
  });
}

/** Runs inputs through the state machine until it has nothing more to say. */
function drive(state: ChainState, ctx: EngineContext, first: ConsensusInput): void {
  if (state.halted !== undefined) return;
  const queue: ConsensusInput[] = [first];
  // A decided block that does not extend this chain halts it mid-way: nothing more is said.
  while (queue.length > 0 && state.halted === undefined) {
    const input = queue.shift() as ConsensusInput;
    const before = state.core;
    const result =
      input.type === "start" ? startHeight(state, ctx, input.height) : step(state.core, input);
    state.core = result.state;
    countStep(state.metrics, input, before, state.core);
    for (const out of result.outputs) handleOutput(state, ctx, out, queue);
  }
}

/**
 * A height this validator already signed at before a restart is taken up from its record
 * (lock, valid value, round, its last message, re-sent at once); any other is started.
 */
function startHeight(state: ChainState, ctx: EngineContext, height: number): StepResult {
  const chain = chainAt(state, height);
  if (chain === undefined) {
    // A validator change decided two heights back is not read yet: start once it is.
    state.sets.waitingStart = height;
    refreshSets(state, ctx);
    return { state: state.core, outputs: [] };
  }
  if (state.core.config.validators !== chain.validators)
    state.core = { ...state.core, config: { ...state.core.config, validators: chain.validators } };
  const saved = savedAt(state.record, height);
  if (saved === undefined) return step(state.core, { type: "start", height });
  const result = restoreHeight(state.core, saved);
  const m = saved.last.message;
  ctx.log.info("consensus restored from its record", {
    chainId: state.args.chain.chainId,
    height,
    round: m.round,
    signed: m.type,
    lockedRound: saved.lockedRound,
  });
  // Re-sent like its own messages: peers that lost that round's prevotes need the proof.
  state.own = [...saved.earlier, saved.last, ...saved.validProof];
  for (const signed of state.own) publish(ctx, state, signed);
  return result;
}

/** An unreadable record: this node signs nothing on the chain (it still follows it). */
function refuseSigning(state: ChainState, ctx: EngineContext, reason: string): void {
  const { chainId } = state.args.chain;
  const line = `${chainId}: not signing: its record ${state.args.guard.file} is unreadable (${reason}); see docs/consensus.md to recover`;
  state.alarm = line;
  ctx.log.error("Cannot sign on this chain: its write-ahead record is unreadable", {
    chainId,
    file: state.args.guard.file,
    reason,
  });
}

/**
 * Signs a message the core broadcasts, after the write-ahead record says so: a position
 * after the last one is recorded (with the lock and valid value) and flushed first; the
 * message signed last is re-sent as it was; anything else is refused.
 */
function signOwn(
  state: ChainState,
  ctx: EngineContext,
  message: ConsensusMessage,
): Signed | undefined {
  const { args } = state;
  const verdict = guardVerdict(state.record, message);
  const at = {
    chainId: args.chain.chainId,
    height: message.height,
    round: message.round,
    type: message.type,
  };
  if (verdict === "refuse") {
    if (state.record.kind === "broken") ctx.log.debug("not signing: the record is unreadable", at);
    else ctx.log.warn("refused to sign twice at one position", at);
    return undefined;
  }
  if (verdict === "resend" && state.record.kind === "saved") return state.record.saved.last;
  const signed: Signed = { message, signature: args.identity.sign(signBytes(message)) };
  const previous = state.record.kind === "saved" ? state.record.saved : undefined;
  const saved = savedState(state.core, signed, previous);
  try {
    saveSignRecord(args.guard.file, args.chain.chainId, saved);
  } catch (err) {
    state.stats.recordFailures++;
    state.alarm = `${args.chain.chainId}: cannot write ${args.guard.file} (${(err as Error).message}): not signing`;
    ctx.log.error("Cannot sign: writing the write-ahead record failed", {
      ...at,
      error: (err as Error).message,
    });
    return undefined;
  }
  state.record = { kind: "saved", saved };
  return signed;
}

function handleOutput(
  state: ChainState,
  ctx: EngineContext,
  out: ConsensusOutput,
  queue: ConsensusInput[],
): void {
  const { args } = state;
  switch (out.type) {
    case "broadcast": {
      const signed = signOwn(state, ctx, out.message);
      if (signed === undefined) return;
      state.own.push(signed);
      // Gossiped once too, for nodes still on 1.3.0 (no sync) during a rollout.
      publish(ctx, state, signed);
      queue.push({ type: "message", signed, valid: true });
      noteMessage(state, signed, undefined);
      scheduleFlush(state, ctx);
      return;
    }
    case "scheduleTimeout":
      ctx.sendAfter(out.durationMs, {
        type: "timeout",
        input: { type: "timeout", kind: out.kind, height: out.height, round: out.round },
        epoch: state.epoch,
      });
      return;
    case "requestValue":
      proposeIfReady(state, ctx, out.height, out.round, undefined);
      return;
    case "decide": {
      const block = out.value.block as Uint8Array;
      // Before any reap for the next height (the mailbox keeps our order): the decided
      // transactions leave the mempool, so the next proposal does not repeat them.
      ctx.cast(
        { engine: MEMPOOL },
        { type: "ordered", height: out.height, ids: decidedIds(block) },
      );
      state.lastCommit = { height: out.height, round: out.round, time: Date.now() };
      state.stats.decided++;
      observeCommit(state.metrics, state.lastCommit.time);
      state.own = [];
      hold(state, out.height, block, out.certificate);
      // Usually the store already holds the height before: no need to wait for a poll.
      forwardHeld(state, ctx);
      queue.push({ type: "start", height: out.height + 1 });
      schedulePoll(state, ctx);
      return;
    }
    case "evidence":
      state.stats.evidence++;
      ctx.log.warn("validator equivocated", {
        validator: out.evidence.validator,
        height: out.evidence.height,
        round: out.evidence.round,
        type: out.evidence.type,
      });
      args.broker.publish(
        nodeEvent("consensus.evidence", {
          chainId: args.chain.chainId,
          validator: out.evidence.validator,
          height: out.evidence.height,
          round: out.evidence.round,
        }),
      );
      return;
  }
}

function decidedIds(block: Uint8Array): string[] {
  try {
    return decodeBlockTxs(decodeBlock(block).txs).map((t) => t.id);
  } catch {
    return [];
  }
}

function publish(ctx: EngineContext, state: ChainState, signed: Signed): void {
  if (state.args.gossipMessages === false) return;
  // Over the gossip frame: such a proposal goes by the sync alone, in parts.
  const m = signed.message;
  if (m.type === "proposal" && (m.value.block as Uint8Array).length > MAX_GOSSIP_BLOCK_BYTES)
    return;
  ctx.cast(
    { engine: TRANSPORT },
    { type: "publish", topic: consensusTopic(state.args.chain.chainId), body: signed },
  );
}

function onIdLoaded(state: ChainState, ctx: EngineContext, height: number, id: string | null) {
  state.loadingId = undefined;
  if (id === null) {
    haltChain(
      state,
      ctx,
      `halted at height ${height + 1}: the store has no commit record of height ${height}, so this node cannot tell which block comes next`,
    );
    return;
  }
  state.ids.set(height, id);
  wake(state, ctx);
}

/**
 * Answers the core's requestValue with a block of pending transactions. It waits for the
 * store to commit the height before (the block names that height's id and root) and,
 * with no transactions, up to emptyBlockIntervalMs after the last commit, so an idle
 * chain does not spin through empty heights.
 */
function proposeIfReady(
  state: ChainState,
  ctx: EngineContext,
  height: number,
  round: number,
  reaped: Uint8Array[] | undefined,
): void {
  if (state.core.height !== height || state.core.round !== round || !state.core.awaitingValue)
    return;
  // Paused: the core is started afresh after the activation and asks again.
  if (state.halted !== undefined || pausedAt(state, height)) return;
  if (ownLink(state, ctx, height) === undefined) {
    ctx.sendAfter(VALUE_POLL_MS, { type: "retryValue", height, round });
    return;
  }
  if (reaped === undefined) {
    ctx
      .call(
        { engine: MEMPOOL },
        { type: "reap", maxBytes: MAX_BLOCK_BYTES - 1024, maxTxs: MAX_BLOCK_TXS },
      )
      .then(
        (txs) => ctx.info({ type: "reaped", height, round, txs }),
        () => ctx.info({ type: "reaped", height, round, txs: [] }),
      );
    return;
  }
  const since = state.lastCommit?.time ?? 0;
  if (reaped.length === 0 && Date.now() - since < state.args.emptyBlockIntervalMs) {
    ctx.sendAfter(VALUE_POLL_MS, { type: "retryValue", height, round });
    return;
  }
  const link = ownLink(state, ctx, height);
  if (link === undefined) {
    ctx.sendAfter(VALUE_POLL_MS, { type: "retryValue", height, round });
    return;
  }
  const block: Block = {
    chainId: state.args.chain.chainId,
    height,
    time: Date.now(),
    proposer: state.args.identity.id,
    parent: link.parent,
    stateRoot: link.stateRoot,
    txs: reaped,
  };
  const bytes = encodeBlock(block);
  drive(state, ctx, {
    type: "proposalValue",
    height,
    round,
    value: { id: blockId(bytes), block: bytes },
  });
}

/** True when the message verified (and went on to the core, or was kept for later). */
function onGossip(
  state: ChainState,
  ctx: EngineContext,
  body: unknown,
  from: string | undefined,
): boolean {
  if (state.halted !== undefined) return false;
  const signed = body as Signed;
  if (
    typeof signed !== "object" ||
    signed === null ||
    typeof signed.message !== "object" ||
    signed.message === null
  ) {
    state.stats.rejected++;
    return false;
  }
  const message = signed.message;
  if (message.chainId !== state.args.chain.chainId || !Number.isSafeInteger(message.height))
    return false;
  if (message.height < state.core.height) return false;
  const chain = chainAt(state, message.height);
  if (chain === undefined) {
    // Its height's validators are not known yet: kept until they are.
    state.buffered.push({ signed, from });
    if (state.buffered.length > MAX_BUFFERED_MESSAGES) state.buffered.shift();
    refreshSets(state, ctx);
    return false;
  }
  const verdict = verifyMessage(signed, chain);
  if (!verdict.ok) {
    state.stats.rejected++;
    ctx.log.debug("consensus message refused", { fault: verdict.fault });
    return false;
  }
  state.seen.set(signerOf(message), Date.now());
  state.highestSeen = Math.max(state.highestSeen, message.height);
  // A message from a later height means we missed decisions: fetch them from a peer.
  if (message.height > state.core.height) requestCommits(state, ctx, from);
  accept(state, ctx, signed, from);
  return true;
}

/** A verified message: fed to the core, kept while its height is held, or judged (proposals). */
function accept(
  state: ChainState,
  ctx: EngineContext,
  signed: Signed,
  from: string | undefined,
): void {
  const message = signed.message;
  if (message.height < state.core.height || message.height > state.core.height + 1) return;
  const held = heldFrom(state);
  if (held !== undefined && message.height >= held) {
    state.buffered.push({ signed, from });
    if (state.buffered.length > MAX_BUFFERED_MESSAGES) state.buffered.shift();
    return;
  }
  if (message.type === "proposal") judge(state, ctx, signed as Signed<Proposal>, from);
  else drive(state, ctx, { type: "message", signed, valid: true });
}

/**
 * Algorithm 1's valid(v) for a proposal: well formed for its height, and extending this
 * node's chain (its parent and state root are ours). It cannot be judged before the
 * store holds the height before it: then it waits rather than being voted on blindly.
 */
function judge(
  state: ChainState,
  ctx: EngineContext,
  signed: Signed<Proposal>,
  from: string | undefined,
): void {
  const m = signed.message;
  const key = `${m.height}/${m.round}/${m.value.id}`;
  const known = state.judged.get(key);
  if (known !== undefined) {
    drive(state, ctx, { type: "message", signed, valid: known.valid });
    return;
  }
  const block = wellFormed(state, m.value.block, m.height, m.proposer, m.value.id);
  let valid = block !== undefined;
  if (block !== undefined) {
    const own = ownLink(state, ctx, m.height);
    if (own === undefined) {
      defer(state, ctx, signed, from);
      return;
    }
    if (
      divergent(state, ctx, block, own, {
        height: m.height,
        source: "proposal",
        proposer: m.proposer,
      })
    )
      valid = false;
  }
  state.judged.set(key, { height: m.height, valid });
  drive(state, ctx, { type: "message", signed, valid });
}

function defer(
  state: ChainState,
  ctx: EngineContext,
  signed: Signed<Proposal>,
  from: string | undefined,
): void {
  const same = (s: Signed) =>
    s.message.type === "proposal" &&
    s.message.height === signed.message.height &&
    s.message.round === signed.message.round &&
    s.message.value.id === signed.message.value.id;
  if (!state.deferred.some((d) => same(d.signed))) {
    state.deferred.push({ signed, from });
    if (state.deferred.length > MAX_DEFERRED_PROPOSALS) state.deferred.shift();
  }
  schedulePoll(state, ctx);
}

/** A decided block (by this node's core or fetched with its certificate), kept for ordering. */
function hold(state: ChainState, height: number, block: Uint8Array, certificate: unknown): void {
  state.ids.set(height, blockId(block));
  state.held.push({ height, block, certificate });
  noteDecided(state, height, block);
}

function schedulePoll(state: ChainState, ctx: EngineContext): void {
  if (state.polling) return;
  state.polling = true;
  ctx.sendAfter(STORE_POLL_MS, { type: "pollStore" });
}

/** Whatever waited for the store to commit a height goes on, if it now has. */
function wake(state: ChainState, ctx: EngineContext): void {
  forwardHeld(state, ctx);
  judgeDeferred(state, ctx);
  reachActivation(state, ctx);
  refreshSets(state, ctx);
  const storeHeight = state.args.store.height;
  for (const h of state.ids.keys()) if (h < storeHeight) state.ids.delete(h);
  for (const [k, j] of state.judged) if (j.height < state.core.height) state.judged.delete(k);
  const waiting =
    state.held.length > 0 ||
    state.deferred.length > 0 ||
    state.sets.changes.length > 0 ||
    (state.activation?.state === "scheduled" && state.activation.height === state.core.height);
  if (waiting && state.halted === undefined) schedulePoll(state, ctx);
}

/**
 * Hands decided blocks to ordering in height order, each once the store holds the height
 * before it and only if the block names that height's id and root: a block that does
 * not means this node computed something else, and it stops rather than build on it.
 */
function forwardHeld(state: ChainState, ctx: EngineContext): void {
  while (state.halted === undefined) {
    const next = state.held[0];
    if (next === undefined) return;
    if (next.height <= state.args.store.height) {
      state.held.shift();
      continue;
    }
    const own = ownLink(state, ctx, next.height);
    if (own === undefined) return;
    let block: Block;
    try {
      block = decodeBlock(next.block);
    } catch (err) {
      haltChain(
        state,
        ctx,
        `halted at height ${next.height}: the decided block does not decode (${(err as Error).message})`,
      );
      return;
    }
    if (
      divergent(state, ctx, block, own, {
        height: next.height,
        source: "commit",
        proposer: block.proposer,
      })
    )
      return;
    state.held.shift();
    ctx.cast(
      { engine: ORDERING },
      { type: "decided", height: next.height, block: next.block, certificate: next.certificate },
    );
  }
}

function judgeDeferred(state: ChainState, ctx: EngineContext): void {
  if (state.deferred.length === 0) return;
  const waiting = state.deferred;
  state.deferred = [];
  for (const { signed, from } of waiting) accept(state, ctx, signed, from);
}

function onActivationCast(state: ChainState, ctx: EngineContext, m: ActivationCast): void {
  const chainId = state.args.chain.chainId;
  const current = state.activation;
  if (m.type === "scheduleActivation") {
    const key = activationKey(m);
    if (key === state.activated) return;
    if (current?.version === m.version && current.height === m.height) return;
    if (!supersedes(m, current)) return;
    const core = state.core;
    // Too late once anything of the height is committed or signed here.
    if (
      m.height <= state.args.store.height ||
      core.height > m.height ||
      (core.height === m.height && state.own.length > 0)
    ) {
      if (state.lateActivation !== key) {
        state.lateActivation = key;
        ctx.log.error("activation comes too late: this node is already past its height", {
          chainId,
          version: m.version,
          height: m.height,
          consensusHeight: core.height,
          committedHeight: state.args.store.height,
        });
      }
      castActivationPassed(state, ctx, m);
      return;
    }
    state.activation = { version: m.version, height: m.height, state: "scheduled" };
    ctx.log.info("activation scheduled: the chain pauses at its height for the new code", {
      chainId,
      version: m.version,
      height: m.height,
      ...(current ? { replaces: activationKey(current) } : {}),
    });
    if (current !== undefined) resume(state, ctx, current.height);
    wake(state, ctx);
    return;
  }
  if (current === undefined || current.version !== m.version) return;
  if (m.type === "activated" && current.height !== m.height) return;
  state.activation = undefined;
  if (m.type === "activated") state.activated = activationKey(current);
  ctx.log.info(
    m.type === "activated"
      ? "activated: the chain goes on at the height"
      : "activation cancelled: the chain goes on",
    { chainId, version: current.version, height: current.height },
  );
  resume(state, ctx, current.height);
}

/**
 * The chain was held at `height` (or before it): the core starts the height afresh (its
 * timers are stale; it signed nothing there, unless before a restart, and then its record
 * takes the height up), and the gossip kept meanwhile is fed in, through the next
 * activation if one replaced it.
 */
function resume(state: ChainState, ctx: EngineContext, height: number): void {
  if (state.halted !== undefined) return;
  if (state.core.height === height && !pausedAt(state, height)) {
    state.epoch++;
    state.core = newCore(state.args);
    state.own = [];
    for (const [k, j] of state.judged) if (j.height >= height) state.judged.delete(k);
    drive(state, ctx, { type: "start", height });
  }
  const kept = state.buffered;
  state.buffered = [];
  for (const { signed, from } of kept) accept(state, ctx, signed, from);
  wake(state, ctx);
}

/** A schedule read from the store: a height that waited for it starts, kept gossip goes in. */
function onSets(
  state: ChainState,
  ctx: EngineContext,
  read: Omit<ValidatorSets, "waitingStart">,
): void {
  const start = onSetsLoaded(state, read);
  if (state.sets.broken !== undefined) {
    haltChain(
      state,
      ctx,
      `halted: the validator schedule in state is unusable (${state.sets.broken}); restore the data directory from a snapshot`,
    );
    return;
  }
  if (start !== undefined && state.core.height < start)
    drive(state, ctx, { type: "start", height: start });
  const kept = state.buffered;
  state.buffered = [];
  for (const { signed, from } of kept) onGossip(state, ctx, signed, from);
  wake(state, ctx);
}

function requestCommits(state: ChainState, ctx: EngineContext, from: string | undefined): void {
  const now = Date.now();
  if (
    from === undefined ||
    state.catchUp.inFlight ||
    now - state.catchUp.last < CATCH_UP_INTERVAL_MS
  )
    return;
  state.catchUp = { inFlight: true, last: now };
  const msg: ConsensusCall = {
    type: "getCommits",
    chainId: state.args.chain.chainId,
    from: state.core.height,
    max: MAX_COMMITS_PER_REQUEST,
  };
  // Addressed by chain, so a peer following several chains answers from the right one.
  ctx.call({ node: from, engine: `${CONSENSUS}@${state.args.chain.chainId}` }, msg, 5000).then(
    (commits) => ctx.info({ type: "commits", commits }),
    () => ctx.info({ type: "commitsFailed" }),
  );
}

/**
 * Commits fetched from a peer: each must carry a certificate that verifies, in height
 * order, and name the block before it as its parent. Like decided blocks they wait for
 * the store before going to ordering; none at or after a pending activation is taken
 * (the new code takes them).
 */
function applyCommits(state: ChainState, ctx: EngineContext, raw: unknown): void {
  if (!Array.isArray(raw) || state.halted !== undefined) return;
  for (const item of raw.slice(0, MAX_COMMITS_PER_REQUEST)) {
    const c = item as { height?: unknown; block?: unknown; certificate?: unknown };
    const height = state.core.height;
    if (c.height !== height || !(c.block instanceof Uint8Array)) continue;
    const held = heldFrom(state);
    if (held !== undefined && height >= held) break;
    const chain = chainAt(state, height);
    // Its validators follow from a change not read yet: fetched again once it is.
    if (chain === undefined) break;
    const id = blockId(c.block);
    const verdict = verifyCertificate(c.certificate as CommitCertificate, {
      chain,
      height,
      valueId: id,
    });
    if (!verdict.ok) {
      state.stats.rejected++;
      ctx.log.warn("fetched commit refused", { height, fault: verdict.fault });
      break;
    }
    let block: Block;
    try {
      block = decodeBlock(c.block);
    } catch (err) {
      state.stats.rejected++;
      ctx.log.warn("fetched commit refused", { height, fault: (err as Error).message });
      break;
    }
    const previous = height === 1 ? GENESIS_PARENT : state.ids.get(height - 1);
    if (previous !== undefined && block.parent !== undefined && block.parent !== previous) {
      // Certified by the validators, yet not on the chain this node decided.
      reportDivergence(
        state,
        ctx,
        { height, source: "commit", proposer: block.proposer },
        { field: "parent", block: block.parent, own: previous },
      );
      return;
    }
    hold(state, height, c.block, c.certificate);
    state.lastCommit = {
      height,
      round: (c.certificate as CommitCertificate).round,
      time: Date.now(),
    };
    state.stats.caughtUp++;
    state.own = [];
    drive(state, ctx, { type: "start", height: height + 1 });
  }
  wake(state, ctx);
}
