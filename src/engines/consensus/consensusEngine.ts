import {
  type ChainSpec,
  type CommitCertificate,
  type ConsensusInput,
  type ConsensusOutput,
  type ConsensusState,
  createConsensusState,
  proposerOf,
  type Signed,
  signBytes,
  signerOf,
  step,
  type TimeoutOptions,
  verifyCertificate,
  verifyMessage,
} from "../../consensus";
import type { NodeIdentity } from "../../p2p";
import type { BrokerClient, EngineContext, EngineModule, From } from "../../runtime";
import type { VersionedStore } from "../../storage";
import { nodeEvent } from "../events";
import { commitAuxKey, decodeCommitRecord } from "../executor/blockRecord";
import { CONSENSUS, CONSENSUS_TOPIC_PREFIX, MEMPOOL, ORDERING, TRANSPORT } from "../names";
import {
  type Block,
  blockId,
  decodeBlock,
  encodeBlock,
  MAX_BLOCK_BYTES,
  MAX_BLOCK_TXS,
} from "./block";
import { decodeBlockTxs } from "./decodeBlockTxs";
import type { SignGuard } from "./signGuard";

/** Each validator re-sends its own messages of the current height this often (lost links). */
export const REBROADCAST_MS = 1000;
/** At most this many commits per catch-up request, and one request in flight. */
export const MAX_COMMITS_PER_REQUEST = 32;
const CATCH_UP_INTERVAL_MS = 500;
const VALUE_POLL_MS = 25;

export function consensusTopic(chainId: string): string {
  return `${CONSENSUS_TOPIC_PREFIX}${chainId}`;
}

export interface ConsensusArgs {
  chain: ChainSpec;
  identity: NodeIdentity;
  timeouts: TimeoutOptions;
  emptyBlockIntervalMs: number;
  store: VersionedStore;
  broker: BrokerClient;
  guard: SignGuard;
}

interface ChainState {
  args: ConsensusArgs;
  core: ConsensusState;
  /** Our signed messages at the current height, re-sent until the height is decided. */
  own: Signed[];
  /** Last time each validator was heard from. */
  seen: Map<string, number>;
  lastCommit: { height: number; round: number; time: number } | undefined;
  highestSeen: number;
  catchUp: { inFlight: boolean; last: number };
  stats: { decided: number; rejected: number; evidence: number; caughtUp: number };
}

export type ConsensusCall =
  | { type: "status" }
  | { type: "getCommits"; chainId: string; from: number; max: number };

type ConsensusInfo =
  | { type: "timeout"; input: ConsensusInput }
  | { type: "reaped"; height: number; round: number; txs: Uint8Array[] }
  | { type: "retryValue"; height: number; round: number }
  | { type: "rebroadcast" }
  | { type: "commits"; commits: unknown }
  | { type: "commitsFailed" };

/**
 * Drives one chain's pure Tendermint state machine: verifies and feeds in messages from
 * the network, signs and gossips what it says, turns timeouts into timers, builds
 * proposals from the mempool, hands decided blocks to ordering, and catches up from
 * peers' stored commits when it has fallen behind.
 */
export const consensusEngine: EngineModule<ChainState, ConsensusArgs> = {
  name: CONSENSUS,
  version: "1.0.0",
  init(args, ctx) {
    const core = createConsensusState({
      chainId: args.chain.chainId,
      validators: args.chain.validators,
      self: args.identity.id,
      timeouts: args.timeouts,
    });
    const state: ChainState = {
      args,
      core,
      own: [],
      seen: new Map(),
      lastCommit: undefined,
      highestSeen: args.store.height,
      catchUp: { inFlight: false, last: 0 },
      stats: { decided: 0, rejected: 0, evidence: 0, caughtUp: 0 },
    };
    drive(state, ctx, { type: "start", height: args.store.height + 1 });
    ctx.sendAfter(REBROADCAST_MS, { type: "rebroadcast" });
    return state;
  },
  handleCast(msg, state, ctx) {
    const m = msg as { type?: string; body?: unknown; from?: string };
    if (m.type === "gossip") onGossip(state, ctx, m.body, m.from);
    return state;
  },
  handleInfo(msg, state, ctx) {
    const m = msg as ConsensusInfo;
    switch (m.type) {
      case "timeout":
        drive(state, ctx, m.input);
        return state;
      case "reaped":
      case "retryValue":
        proposeIfReady(state, ctx, m.height, m.round, m.type === "reaped" ? m.txs : undefined);
        return state;
      case "rebroadcast":
        for (const signed of state.own) publish(ctx, state, signed);
        ctx.sendAfter(REBROADCAST_MS, { type: "rebroadcast" });
        return state;
      case "commits":
        state.catchUp.inFlight = false;
        applyCommits(state, ctx, m.commits);
        return state;
      case "commitsFailed":
        state.catchUp.inFlight = false;
        return state;
      default:
        return state;
    }
  },
  async handleCall(msg, from, state, ctx) {
    const m = msg as ConsensusCall;
    if (m?.type === "status") return { reply: status(state), state };
    if (m?.type === "getCommits") return { reply: await readCommits(state, m), state };
    ctx.replyError(from as From, new Error("Cannot serve consensus call: unknown request type"));
    return { noreply: true, state };
  },
};

/** Runs inputs through the state machine until it has nothing more to say. */
function drive(state: ChainState, ctx: EngineContext, first: ConsensusInput): void {
  const queue: ConsensusInput[] = [first];
  while (queue.length > 0) {
    const input = queue.shift() as ConsensusInput;
    const result = step(state.core, input);
    state.core = result.state;
    for (const out of result.outputs) handleOutput(state, ctx, out, queue);
  }
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
      if (!args.guard.allow(out.message)) {
        ctx.log.warn("refused to sign twice at one position", {
          height: out.message.height,
          round: out.message.round,
          type: out.message.type,
        });
        return;
      }
      const signed: Signed = {
        message: out.message,
        signature: args.identity.sign(signBytes(out.message)),
      };
      state.own.push(signed);
      publish(ctx, state, signed);
      queue.push({ type: "message", signed, valid: true });
      return;
    }
    case "scheduleTimeout":
      ctx.sendAfter(out.durationMs, {
        type: "timeout",
        input: { type: "timeout", kind: out.kind, height: out.height, round: out.round },
      });
      return;
    case "requestValue":
      proposeIfReady(state, ctx, out.height, out.round, undefined);
      return;
    case "decide": {
      const block = out.value.block as Uint8Array;
      ctx.cast(
        { engine: ORDERING },
        { type: "decided", height: out.height, block, certificate: out.certificate },
      );
      // Before any reap for the next height (the mailbox keeps our order): the decided
      // transactions leave the mempool, so the next proposal does not repeat them.
      ctx.cast(
        { engine: MEMPOOL },
        { type: "ordered", height: out.height, ids: decidedIds(block) },
      );
      state.lastCommit = { height: out.height, round: out.round, time: Date.now() };
      state.stats.decided++;
      state.own = [];
      queue.push({ type: "start", height: out.height + 1 });
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
  ctx.cast(
    { engine: TRANSPORT },
    { type: "publish", topic: consensusTopic(state.args.chain.chainId), body: signed },
  );
}

/**
 * Answers the core's requestValue with a block of pending transactions. With none, it
 * waits (polling the mempool) up to emptyBlockIntervalMs after the last commit, so an
 * idle chain does not spin through empty heights.
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
  const block: Block = {
    chainId: state.args.chain.chainId,
    height,
    time: Date.now(),
    proposer: state.args.identity.id,
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

function onGossip(
  state: ChainState,
  ctx: EngineContext,
  body: unknown,
  from: string | undefined,
): void {
  const signed = body as Signed;
  if (
    typeof signed !== "object" ||
    signed === null ||
    typeof signed.message !== "object" ||
    signed.message === null
  ) {
    state.stats.rejected++;
    return;
  }
  const message = signed.message;
  if (message.chainId !== state.args.chain.chainId || !Number.isSafeInteger(message.height)) return;
  if (message.height < state.core.height) return;
  const verdict = verifyMessage(signed, state.args.chain);
  if (!verdict.ok) {
    state.stats.rejected++;
    ctx.log.debug("consensus message refused", { fault: verdict.fault });
    return;
  }
  state.seen.set(signerOf(message), Date.now());
  state.highestSeen = Math.max(state.highestSeen, message.height);
  // A message from a later height means we missed decisions: fetch them from a peer.
  if (message.height > state.core.height) requestCommits(state, ctx, from);
  if (message.height > state.core.height + 1) return;
  const valid =
    message.type === "proposal"
      ? validProposal(
          state,
          message.value.block,
          message.height,
          message.proposer,
          message.value.id,
        )
      : true;
  drive(state, ctx, { type: "message", signed, valid });
}

/** Algorithm 1's valid(v): the id is the block's hash and the block is well formed for this height. */
function validProposal(
  state: ChainState,
  bytes: unknown,
  height: number,
  proposer: string,
  id: string,
): boolean {
  try {
    if (!(bytes instanceof Uint8Array) || blockId(bytes) !== id) return false;
    const block = decodeBlock(bytes);
    if (
      block.chainId !== state.args.chain.chainId ||
      block.height !== height ||
      block.proposer !== proposer
    )
      return false;
    decodeBlockTxs(block.txs);
    return true;
  } catch {
    return false;
  }
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

/** Commits fetched from a peer: each must carry a certificate that verifies, in height order. */
function applyCommits(state: ChainState, ctx: EngineContext, raw: unknown): void {
  if (!Array.isArray(raw)) return;
  for (const item of raw.slice(0, MAX_COMMITS_PER_REQUEST)) {
    const c = item as { height?: unknown; block?: unknown; certificate?: unknown };
    const height = state.core.height;
    if (c.height !== height || !(c.block instanceof Uint8Array)) continue;
    const id = blockId(c.block);
    const verdict = verifyCertificate(c.certificate as CommitCertificate, {
      chain: state.args.chain,
      height,
      valueId: id,
    });
    if (!verdict.ok) {
      state.stats.rejected++;
      ctx.log.warn("fetched commit refused", { height, fault: verdict.fault });
      return;
    }
    ctx.cast(
      { engine: ORDERING },
      { type: "decided", height, block: c.block, certificate: c.certificate },
    );
    state.lastCommit = {
      height,
      round: (c.certificate as CommitCertificate).round,
      time: Date.now(),
    };
    state.stats.caughtUp++;
    state.own = [];
    drive(state, ctx, { type: "start", height: height + 1 });
  }
}

async function readCommits(state: ChainState, m: Extract<ConsensusCall, { type: "getCommits" }>) {
  const store = state.args.store;
  if (m.chainId !== state.args.chain.chainId || !Number.isSafeInteger(m.from) || m.from < 1)
    return [];
  const max = Math.min(
    MAX_COMMITS_PER_REQUEST,
    Number.isSafeInteger(m.max) && m.max > 0 ? m.max : 1,
  );
  const last = Math.min(store.height, m.from + max - 1);
  const out: Array<{ height: number; block: Uint8Array; certificate: unknown }> = [];
  for (let h = m.from; h <= last; h++) {
    const bytes = await store.getAux(commitAuxKey(h));
    if (!bytes) break;
    const record = decodeCommitRecord(bytes);
    out.push({ height: h, block: record.block, certificate: record.certificate });
  }
  return out;
}

function status(state: ChainState) {
  const { core, args } = state;
  const validators = args.chain.validators.validators;
  const proposer =
    core.height > 0 ? proposerOf(args.chain.validators, core.height, core.round) : undefined;
  return {
    chainId: args.chain.chainId,
    self: args.identity.id,
    validator: args.chain.validators.byId.has(args.identity.id),
    height: core.height,
    round: core.round,
    step: core.step,
    proposer,
    lastCommit: state.lastCommit,
    committedHeight: args.store.height,
    highestSeen: state.highestSeen,
    validators: validators.map((v) => ({
      id: v.id,
      power: v.power,
      lastSeen: state.seen.get(v.id) ?? null,
    })),
    stats: state.stats,
  };
}
