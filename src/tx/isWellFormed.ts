const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A lone surrogate has no UTF-8 encoding: the encoder writes U+FFFD, so two different
 * strings would share one encoding and one id. (String.prototype.isWellFormed is ES2024,
 * past the configured lib.)
 */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
