import { isatty } from "node:tty";
import { type DestinationStream, type LoggerOptions, pino } from "pino";
import { PinoPretty } from "pino-pretty";
import { fromPino } from "./fromPino";
import type { Logger } from "./logger";
import type { LogFormat, LogLevel } from "./logLevel";
import { REDACTED, redactPaths } from "./redact";
import { serializeError } from "./serializeError";

export interface CreateLoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** A stream or a file descriptor; defaults to stderr so stdout stays for command output. */
  readonly destination?: NodeJS.WritableStream | number | undefined;
  /** Overrides TTY detection of the destination (for `auto` and for colour). */
  readonly isTTY?: boolean | undefined;
  /** Where NO_COLOR is read from; defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

export const STDERR_FD = 2;

function detectTTY(destination: NodeJS.WritableStream | number): boolean {
  if (typeof destination === "number") return isatty(destination);
  return (destination as { isTTY?: boolean }).isTTY === true;
}

// https://no-color.org: present and non-empty disables colour.
function noColor(env: NodeJS.ProcessEnv): boolean {
  const value = env.NO_COLOR;
  return value !== undefined && value !== "";
}

function prettyStream(
  destination: NodeJS.WritableStream | number,
  colorize: boolean,
): DestinationStream {
  // A synchronous in-process stream, not pino's worker transport: the node is bundled
  // into one file, where a transport's worker script cannot be resolved.
  return PinoPretty({
    destination,
    sync: true,
    colorize,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,module",
    messageFormat: (log, messageKey) => {
      const msg = String(log[messageKey] ?? "");
      return typeof log.module === "string" ? `[${log.module}] ${msg}` : msg;
    },
  });
}

function jsonStream(destination: NodeJS.WritableStream | number): DestinationStream {
  // Synchronous writes so the last lines before an exit (or a crash) are not lost.
  return typeof destination === "number"
    ? pino.destination({ fd: destination, sync: true })
    : (destination as DestinationStream);
}

/** Builds the node's logger: JSON lines for machines, pretty lines for people. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const destination = options.destination ?? STDERR_FD;
  const isTTY = options.isTTY ?? detectTTY(destination);
  const pretty = options.format === "pretty" || (options.format === "auto" && isTTY);
  const pinoOptions: LoggerOptions = {
    level: options.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...redactPaths], censor: REDACTED },
    serializers: { err: serializeError, error: serializeError },
    // Level names, not pino's numbers, so `jq 'select(.level == "error")'` just works.
    ...(pretty ? {} : { formatters: { level: (label: string) => ({ level: label }) } }),
  };
  const stream = pretty
    ? prettyStream(destination, isTTY && !noColor(options.env ?? process.env))
    : jsonStream(destination);
  return fromPino(pino(pinoOptions, stream));
}
