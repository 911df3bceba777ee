/** Exit codes of every command; documented in the README and `anode --help`. */
export const EXIT = {
  OK: 0,
  /** The operation ran and failed (a rejected transaction, an error from the node). */
  FAILURE: 1,
  /** Bad command line, input file or configuration. */
  USAGE: 2,
  /** The node is not running or not reachable, or its data directory is locked. */
  UNAVAILABLE: 3,
  /** Missing or wrong API token. */
  UNAUTHORIZED: 4,
  /** The key, transaction or item asked for does not exist. */
  NOT_FOUND: 5,
  /** A wait ran out before the awaited thing happened. */
  TIMEOUT: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  the operation failed (rejected transaction, error reported by the node)
  2  usage error: bad command, flag, input file or configuration
  3  node not running or unreachable, or its data directory locked
  4  missing or wrong API token
  5  not found (absent key, unknown transaction)
  6  timed out waiting`;
