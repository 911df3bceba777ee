/** Why a process ended. `normal` and `shutdown` are clean; anything else is a crash. */
export type ExitReason = "normal" | "shutdown" | { error: unknown };

export function isAbnormal(reason: ExitReason): reason is { error: unknown } {
  return typeof reason === "object";
}

/** Where a message goes. `node` is absent for the local node; the router resolves it. */
export interface Address {
  node?: string;
  engine: string;
}

/** The three kinds of message: call (waits for a reply), cast (fire-and-forget), send (info). */
export interface Mailer {
  call(to: Address, msg: unknown, timeoutMs?: number): Promise<unknown>;
  cast(to: Address, msg: unknown): void;
  send(to: Address, msg: unknown): void;
}

/** Minimal logging surface the runtime needs; src/logging's Logger satisfies it. */
export interface RuntimeLogger {
  debug(msg: string, context?: Record<string, unknown>): void;
  info(msg: string, context?: Record<string, unknown>): void;
  warn(msg: string, context?: Record<string, unknown>): void;
  error(msg: string, context?: Record<string, unknown>): void;
}

export const silentLogger: RuntimeLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Anything a supervisor can own: an engine or another supervisor. */
export interface Child {
  readonly name: string;
  stop(reason?: ExitReason): Promise<void>;
  /** Called once when the child ends for any reason; returns an unsubscribe function. */
  onExit(listener: (reason: ExitReason) => void): () => void;
}
