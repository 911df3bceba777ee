/**
 * Base class for every error anode raises on purpose. The `type` carries a stable
 * machine-readable code plus typed metadata, so callers (CLI exit codes, API status
 * codes, tests) branch on `code`, never on message text. Messages read
 * "Cannot X: reason".
 */
export class NodeError<M extends { code: string } = { code: string }> extends Error {
  readonly type: M;

  constructor(type: M, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.type = type;
    this.name = new.target.name;
  }

  get code(): M["code"] {
    return this.type.code;
  }
}

/** True when `err` is a NodeError carrying `code`. */
export function hasCode(err: unknown, code: string): err is NodeError {
  return err instanceof NodeError && err.code === code;
}
