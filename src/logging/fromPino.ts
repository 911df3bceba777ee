import type { Logger as PinoLogger } from "pino";
import type { LogContext, Logger } from "./logger";

type Method = "trace" | "debug" | "info" | "warn" | "error";

/** Adapts pino's `(context, msg)` order to ours, `(msg, context)`. */
export function fromPino(pino: PinoLogger): Logger {
  const method =
    (level: Method) =>
    (msg: string, context?: LogContext): void => {
      if (context === undefined) pino[level](msg);
      else pino[level](context, msg);
    };
  return {
    trace: method("trace"),
    debug: method("debug"),
    info: method("info"),
    warn: method("warn"),
    error: method("error"),
    child: (bindings) => fromPino(pino.child(bindings)),
  };
}
