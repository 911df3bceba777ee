/** Structured fields of one log line: `log.info("peer connected", { peer, addr })`. */
export type LogContext = Readonly<Record<string, unknown>>;

/** Fields every line of a child carries; `module` names the subsystem. */
export interface LoggerBindings {
  readonly module: string;
  readonly [key: string]: unknown;
}

/**
 * The logging surface the node's code depends on. Deliberately smaller than pino's, and
 * message first, so call sites read as sentences and the backend stays replaceable.
 */
export interface Logger {
  trace(msg: string, context?: LogContext): void;
  debug(msg: string, context?: LogContext): void;
  info(msg: string, context?: LogContext): void;
  warn(msg: string, context?: LogContext): void;
  error(msg: string, context?: LogContext): void;
  child(bindings: LoggerBindings): Logger;
}
