import type { Address, ExitReason, RuntimeLogger } from "./types";

/** Opaque handle of a pending call; pass it to `ctx.reply` to answer later. */
export interface From {
  readonly callId: number;
}

export type CallResult<S> = { reply: unknown; state: S } | { noreply: true; state: S };

type MaybePromise<T> = T | Promise<T>;

/**
 * What an engine can do besides returning new state. Every method is host code, so a
 * code swap never leaves old engine code registered on a resource.
 */
export interface EngineContext {
  readonly name: string;
  readonly log: RuntimeLogger;
  /** Answers a call that the handler deferred with `{ noreply: true }`. */
  reply(from: From, value: unknown): void;
  /** Fails a deferred call; the caller's promise rejects with `error`. */
  replyError(from: From, error: unknown): void;
  call(to: Address, msg: unknown, timeoutMs?: number): Promise<unknown>;
  cast(to: Address, msg: unknown): void;
  send(to: Address, msg: unknown): void;
  /** Delivers `msg` to this engine's own handleInfo, through the mailbox. */
  info(msg: unknown): void;
  /** Delivers `msg` to handleInfo after `ms`; returns a cancel function. */
  sendAfter(ms: number, msg: unknown): () => void;
  /** Ends the engine once the current message is handled. */
  stop(reason?: ExitReason): void;
}

/**
 * An engine is a plain object. The host looks its handlers up on the *current* module at
 * every dispatch, so replacing the module reference is the whole of a code swap.
 */
export interface EngineModule<S = unknown, A = unknown> {
  readonly name: string;
  readonly version: string;
  init(args: A, ctx: EngineContext): MaybePromise<S>;
  handleCall?(msg: unknown, from: From, state: S, ctx: EngineContext): MaybePromise<CallResult<S>>;
  handleCast?(msg: unknown, state: S, ctx: EngineContext): MaybePromise<S>;
  handleInfo?(msg: unknown, state: S, ctx: EngineContext): MaybePromise<S>;
  terminate?(reason: ExitReason, state: S, ctx: EngineContext): MaybePromise<void>;
  /** Turns the state of version `fromVersion` into this version's state. Must not mutate it. */
  codeChange?(fromVersion: string, state: unknown, extra: unknown): MaybePromise<S>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry of heterogeneous engines needs an erased type
export type AnyEngineModule = EngineModule<any, any>;
