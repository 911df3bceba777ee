import type { AnyEngineModule, EngineContext, EngineModule, From } from "./engineModule";
import { ExitSignal } from "./exitSignal";
import { Queue } from "./queue";
import { RuntimeError } from "./runtimeError";
import {
  type Address,
  type Child,
  type ExitReason,
  isAbnormal,
  type Mailer,
  type RuntimeLogger,
  silentLogger,
} from "./types";

type Envelope =
  | { kind: "call"; msg: unknown; callId: number }
  | { kind: "cast"; msg: unknown }
  | { kind: "info"; msg: unknown };

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout | undefined;
}

export type EngineStatus = "starting" | "running" | "suspended" | "stopping" | "exited";

export interface EngineOptions {
  /** Registered name; defaults to the module's name. */
  name?: string;
  mailer?: Mailer;
  log?: RuntimeLogger;
  /** How long stop() waits for the current message and terminate(). */
  stopTimeoutMs?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 5000;
const DEFAULT_STOP_TIMEOUT_MS = 5000;

const noMailer: Mailer = {
  call: (to) =>
    Promise.reject(
      new RuntimeError(
        { code: "NO_SUCH_ENGINE", engine: to.engine },
        `Cannot call ${to.engine}: no mailer`,
      ),
    ),
  cast() {},
  send() {},
};

/**
 * Hosts one engine: owns its mailbox and state and runs one message at a time. Handlers
 * are looked up on `this.module` at every dispatch, so `changeCode` only swaps a reference.
 */
export class Engine<S = unknown> implements Child {
  readonly name: string;
  private mod: AnyEngineModule;
  private state: S | undefined;
  private previous: { mod: AnyEngineModule; state: S | undefined } | undefined;
  private ownChange:
    | { next: AnyEngineModule; extra: unknown; onFailed: (err: unknown) => void }
    | undefined;
  private readonly queue = new Queue<Envelope>();
  private readonly pending = new Map<number, PendingCall>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly exitSignal = new ExitSignal();
  private idleWaiters: (() => void)[] = [];
  private nextCallId = 1;
  private processing = false;
  private scheduled = false;
  private suspended = false;
  private stopRequested: ExitReason | undefined;
  private stopping: Promise<void> | undefined;
  private handledCount = 0;
  private readonly ctx: EngineContext;
  private readonly mailer: Mailer;
  private readonly log: RuntimeLogger;
  private readonly stopTimeoutMs: number;
  private phase: "starting" | "running" | "stopping" | "exited" = "starting";

  private constructor(mod: AnyEngineModule, opts: EngineOptions) {
    this.mod = mod;
    this.name = opts.name ?? mod.name;
    this.mailer = opts.mailer ?? noMailer;
    this.log = opts.log ?? silentLogger;
    this.stopTimeoutMs = opts.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.ctx = this.makeContext();
  }

  /** Runs `init` and resolves once the engine is accepting messages. */
  static async start<S, A>(
    mod: EngineModule<S, A>,
    args: A,
    opts: EngineOptions = {},
  ): Promise<Engine<S>> {
    const engine = new Engine<S>(mod, opts);
    engine.processing = true;
    try {
      engine.state = await mod.init(args, engine.ctx);
    } catch (err) {
      engine.finish({ error: err });
      throw new RuntimeError(
        { code: "ENGINE_INIT_FAILED", engine: engine.name },
        `Cannot start engine ${engine.name}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
    engine.phase = "running";
    engine.processing = false;
    engine.schedule();
    return engine;
  }

  get module(): AnyEngineModule {
    return this.mod;
  }

  get version(): string {
    return this.mod.version;
  }

  get status(): EngineStatus {
    if (this.phase === "running" && this.suspended) return "suspended";
    return this.phase;
  }

  get mailboxSize(): number {
    return this.queue.length;
  }

  /** Messages handled since start; lets tests and benchmarks check nothing was lost. */
  get handled(): number {
    return this.handledCount;
  }

  get exit(): ExitReason | undefined {
    return this.exitSignal.reason;
  }

  call(msg: unknown, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<unknown> {
    if (this.phase === "exited" || this.phase === "stopping") {
      return Promise.reject(this.exitedError());
    }
    const callId = this.nextCallId++;
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === Number.POSITIVE_INFINITY
          ? undefined
          : setTimeout(() => {
              this.pending.delete(callId);
              reject(
                new RuntimeError(
                  { code: "CALL_TIMEOUT", engine: this.name, timeoutMs },
                  `Cannot call ${this.name}: no reply within ${timeoutMs} ms`,
                ),
              );
            }, timeoutMs);
      this.pending.set(callId, { resolve, reject, timer });
      this.enqueue({ kind: "call", msg, callId });
    });
  }

  cast(msg: unknown): void {
    this.enqueue({ kind: "cast", msg });
  }

  info(msg: unknown): void {
    this.enqueue({ kind: "info", msg });
  }

  /**
   * Stops dispatching: messages keep queueing. Resolves once the message in flight (if
   * any) is done, so the caller then holds the engine quiescent.
   */
  suspend(): Promise<void> {
    if (this.phase !== "running") return Promise.reject(this.exitedError());
    this.suspended = true;
    return this.waitIdle();
  }

  resume(): void {
    this.suspended = false;
    this.previous = undefined;
    this.schedule();
  }

  /**
   * Swaps in `next` and converts the state with `next.codeChange(fromVersion, state,
   * extra)`. Only while suspended; on failure the engine keeps its old module and state.
   * Until `resume`, `revertCode` restores exactly what was there before.
   */
  async changeCode(next: AnyEngineModule, extra?: unknown): Promise<void> {
    if (!this.suspended || this.phase !== "running") {
      throw new RuntimeError(
        { code: "NOT_SUSPENDED", engine: this.name },
        `Cannot change code of ${this.name}: suspend it first`,
      );
    }
    const from = this.mod.version;
    let nextState: S | undefined;
    try {
      nextState = next.codeChange ? await next.codeChange(from, this.state, extra) : this.state;
    } catch (err) {
      throw new RuntimeError(
        { code: "CODE_CHANGE_FAILED", engine: this.name, from, to: next.version },
        `Cannot change code of ${this.name} from ${from} to ${next.version}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
    this.previous ??= { mod: this.mod, state: this.state };
    this.mod = next;
    this.state = nextState;
  }

  /**
   * For an engine that changes its own code from inside one of its handlers (it cannot
   * suspend itself and wait to go idle): the change happens right after the message in
   * flight, before the next one. If the new module's codeChange throws, the engine keeps
   * its old module and state and `onFailed` is told.
   */
  changeCodeAfterMessage(
    next: AnyEngineModule,
    extra: unknown,
    onFailed: (err: unknown) => void,
  ): void {
    this.ownChange = { next, extra, onFailed };
    if (this.processing) return;
    this.processing = true;
    void this.applyOwnChange().finally(() => {
      this.processing = false;
      this.schedule();
    });
  }

  private async applyOwnChange(): Promise<void> {
    const change = this.ownChange;
    if (change === undefined) return;
    this.ownChange = undefined;
    const from = this.mod.version;
    try {
      const nextState = change.next.codeChange
        ? await change.next.codeChange(from, this.state, change.extra)
        : this.state;
      this.mod = change.next;
      this.state = nextState as S;
    } catch (err) {
      this.log.error("engine could not change its own code; it keeps the old", {
        engine: this.name,
        from,
        to: change.next.version,
        err,
      });
      change.onFailed(err);
    }
  }

  /** Undoes every changeCode since the last resume. */
  revertCode(): void {
    if (!this.previous) return;
    this.mod = this.previous.mod;
    this.state = this.previous.state;
    this.previous = undefined;
  }

  /** Lets the message in flight finish, runs terminate, rejects what is still queued. */
  stop(reason: ExitReason = "shutdown"): Promise<void> {
    if (this.phase === "exited") return Promise.resolve();
    if (this.stopping) return this.stopping;
    this.phase = "stopping";
    this.stopping = (async () => {
      await withTimeout(this.waitIdle(), this.stopTimeoutMs);
      try {
        await withTimeout(
          Promise.resolve(this.mod.terminate?.(reason, this.state as S, this.ctx)),
          this.stopTimeoutMs,
        );
      } catch (err) {
        this.log.warn("engine terminate failed", { engine: this.name, err });
      }
      this.finish(reason);
    })();
    return this.stopping;
  }

  onExit(listener: (reason: ExitReason) => void): () => void {
    return this.exitSignal.on(listener);
  }

  private enqueue(env: Envelope): void {
    if (this.phase === "exited" || this.phase === "stopping") {
      if (env.kind === "call") this.settle(env.callId, undefined, this.exitedError());
      return;
    }
    this.queue.push(env);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.processing || this.suspended || this.phase !== "running") return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (
        this.queue.length > 0 &&
        !this.suspended &&
        this.phase === "running" &&
        this.stopRequested === undefined
      ) {
        const env = this.queue.shift() as Envelope;
        try {
          const pending = this.dispatch(env);
          if (pending) await pending;
          this.handledCount++;
          if (this.ownChange) await this.applyOwnChange();
        } catch (err) {
          if (env.kind === "call") this.settle(env.callId, undefined, err);
          this.processing = false;
          this.crash(err);
          return;
        }
      }
    } finally {
      this.processing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
    if (this.stopRequested !== undefined && this.phase === "running") {
      void this.stop(this.stopRequested);
    }
  }

  private dispatch(env: Envelope): Promise<void> | undefined {
    const mod = this.mod;
    const state = this.state as S;
    switch (env.kind) {
      case "call": {
        if (!mod.handleCall) {
          this.settle(env.callId, undefined, this.noHandler("call"));
          return undefined;
        }
        const result = mod.handleCall(env.msg, { callId: env.callId }, state, this.ctx);
        if (result instanceof Promise) {
          return result.then((r) => this.afterCall(env.callId, r));
        }
        this.afterCall(env.callId, result);
        return undefined;
      }
      case "cast":
      case "info": {
        const handler = env.kind === "cast" ? mod.handleCast : mod.handleInfo;
        if (!handler) {
          this.log.debug("engine has no handler", { engine: this.name, kind: env.kind });
          return undefined;
        }
        const result = handler.call(mod, env.msg, state, this.ctx);
        if (result instanceof Promise) {
          return result.then((s) => {
            this.state = s;
          });
        }
        this.state = result;
        return undefined;
      }
    }
  }

  private afterCall(
    callId: number,
    result: { state: S } & ({ reply: unknown } | { noreply: true }),
  ): void {
    this.state = result.state;
    if ("reply" in result) this.settle(callId, result.reply);
  }

  private settle(callId: number, value: unknown, error?: unknown): void {
    const call = this.pending.get(callId);
    if (!call) return;
    this.pending.delete(callId);
    if (call.timer) clearTimeout(call.timer);
    if (error !== undefined) call.reject(error);
    else call.resolve(value);
  }

  private crash(err: unknown): void {
    this.log.error("engine crashed", { engine: this.name, err });
    this.phase = "stopping";
    const reason: ExitReason = { error: err };
    this.stopping = (async () => {
      try {
        await withTimeout(
          Promise.resolve(this.mod.terminate?.(reason, this.state as S, this.ctx)),
          this.stopTimeoutMs,
        );
      } catch {
        // A crashing engine's terminate is best effort.
      }
      this.finish(reason);
    })();
  }

  private finish(reason: ExitReason): void {
    if (this.phase === "exited") return;
    this.phase = "exited";
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const env of this.queue.drain()) {
      if (env.kind === "call") this.settle(env.callId, undefined, this.exitedError());
    }
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, this.exitedError());
    this.exitSignal.fire(reason, this.log, { engine: this.name });
  }

  private waitIdle(): Promise<void> {
    if (!this.processing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private exitedError(): RuntimeError {
    const why =
      this.exitSignal.reason && isAbnormal(this.exitSignal.reason)
        ? `: ${errorMessage(this.exitSignal.reason.error)}`
        : "";
    return new RuntimeError(
      { code: "ENGINE_EXITED", engine: this.name },
      `Cannot reach ${this.name}: it has stopped${why}`,
    );
  }

  private noHandler(kind: "call" | "cast" | "info"): RuntimeError {
    return new RuntimeError(
      { code: "NO_HANDLER", engine: this.name, kind },
      `Cannot ${kind} ${this.name}: it has no ${kind} handler`,
    );
  }

  private makeContext(): EngineContext {
    return {
      name: this.name,
      log: this.log,
      reply: (from: From, value: unknown) => this.settle(from.callId, value),
      replyError: (from: From, error: unknown) =>
        this.settle(from.callId, undefined, error ?? new Error("call failed")),
      call: (to: Address, msg: unknown, timeoutMs?: number) => this.mailer.call(to, msg, timeoutMs),
      cast: (to: Address, msg: unknown) => this.mailer.cast(to, msg),
      send: (to: Address, msg: unknown) => this.mailer.send(to, msg),
      info: (msg: unknown) => this.info(msg),
      sendAfter: (ms: number, msg: unknown) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.info(msg);
        }, ms);
        this.timers.add(timer);
        return () => {
          clearTimeout(timer);
          this.timers.delete(timer);
        };
      },
      stop: (reason: ExitReason = "normal") => {
        this.stopRequested = reason;
        if (!this.processing) void this.stop(reason);
      },
    };
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
