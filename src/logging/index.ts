export { type CreateLoggerOptions, createLogger } from "./createLogger";
export type { LogContext, Logger, LoggerBindings } from "./logger";
export { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from "./logLevel";
export { nullLogger } from "./nullLogger";
export { REDACTED, REDACTED_KEYS } from "./redact";
export { type SerializedError, serializeError } from "./serializeError";
