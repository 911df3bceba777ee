export interface SerializedError {
  readonly type: string;
  readonly message: string;
  readonly code?: string | number;
  readonly stack?: string;
  readonly cause?: unknown;
}

// Causes can chain (or loop); a few levels is all a reader needs.
const MAX_CAUSE_DEPTH = 3;

/**
 * Errors become plain fields. pino's own serializer copies only enumerable properties and
 * so loses `NodeError.code`, which is a getter; the code is what operators search for.
 */
export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  return {
    type: value.name,
    message: value.message,
    ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    ...(value.stack === undefined ? {} : { stack: value.stack }),
    ...(value.cause === undefined || depth >= MAX_CAUSE_DEPTH
      ? {}
      : { cause: serializeError(value.cause, depth + 1) }),
  } satisfies SerializedError;
}
