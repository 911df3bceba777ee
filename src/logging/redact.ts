/** Context keys whose values never reach a log line, at the top level or one level down. */
export const REDACTED_KEYS = ["token", "secretKey", "privateKey", "password"] as const;

export const REDACTED = "[redacted]";

/** pino `redact` paths; pino has no recursive wildcard, so nesting is covered one level deep. */
export const redactPaths: readonly string[] = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]);
