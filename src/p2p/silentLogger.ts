import type { Logger } from "../logging";

const discard = (): void => {};

/** The logger of a P2PNode given none: tests and simulations run thousands of nodes. */
export const silentLogger: Logger = {
  trace: discard,
  debug: discard,
  info: discard,
  warn: discard,
  error: discard,
  child: () => silentLogger,
};
