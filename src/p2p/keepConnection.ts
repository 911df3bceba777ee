/** What decides between two authenticated connections to the same peer. */
export interface ConnectionCandidate {
  /** Id of the node that dialed it. */
  readonly dialer: string;
  /** Local order of authentication: higher is newer. */
  readonly order: number;
}

/**
 * Which of two connections to one peer survives. Both nodes must pick the same one
 * without talking: the one dialed by the lower id wins (simultaneous dials). When the
 * same node dialed both, it has reconnected (often after a restart we have not noticed
 * yet), so the newer one wins.
 */
export function keepConnection<C extends ConnectionCandidate>(a: C, b: C): C {
  if (a.dialer !== b.dialer) return a.dialer < b.dialer ? a : b;
  return a.order > b.order ? a : b;
}
