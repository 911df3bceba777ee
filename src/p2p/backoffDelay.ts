export interface BackoffOptions {
  /** Delay before the first retry. */
  readonly baseMs: number;
  /** The doubling stops here. */
  readonly maxMs: number;
  /** Fraction of the delay added or removed at random (0.5: ±50%). */
  readonly jitter: number;
}

export const defaultBackoffOptions: BackoffOptions = Object.freeze({
  baseMs: 250,
  maxMs: 30_000,
  jitter: 0.5,
});

/** Doublings past this only re-hit the cap; bounding it keeps 2 ** n finite. */
const MAX_DOUBLINGS = 30;

/**
 * Wait before redial number `attempt` (0 for the first): base · 2^attempt capped at
 * maxMs, then spread by ±jitter using `random` in [0, 1) so that nodes restarted together
 * do not redial in lockstep. Never more than maxMs · (1 + jitter).
 */
export function backoffDelay(
  attempt: number,
  random: number,
  options: BackoffOptions = defaultBackoffOptions,
): number {
  const doublings = Math.min(Math.max(0, attempt), MAX_DOUBLINGS);
  const capped = Math.min(options.maxMs, options.baseMs * 2 ** doublings);
  return Math.round(capped * (1 + options.jitter * (2 * random - 1)));
}
