import type { Logger } from "./logger";

const discard = (): void => {};

/** A logger that drops everything, for tests and for components built without one. */
export const nullLogger: Logger = Object.freeze({
  trace: discard,
  debug: discard,
  info: discard,
  warn: discard,
  error: discard,
  child: (): Logger => nullLogger,
});
