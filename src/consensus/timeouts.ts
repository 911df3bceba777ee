export type TimeoutKind = "propose" | "prevote" | "precommit";

export interface TimeoutGrowth {
  readonly baseMs: number;
  /** Added per round, so that after the network stabilises some round outlasts its delays. */
  readonly deltaMs: number;
}

export type TimeoutOptions = Readonly<Record<TimeoutKind, TimeoutGrowth>>;

/** CometBFT's defaults, whose propose timeout allows for building and gossiping a block. */
export const defaultTimeoutOptions: TimeoutOptions = {
  propose: { baseMs: 3000, deltaMs: 500 },
  prevote: { baseMs: 1000, deltaMs: 500 },
  precommit: { baseMs: 1000, deltaMs: 500 },
};

/** base + round × delta for that kind of timeout. */
export function timeoutDuration(options: TimeoutOptions, kind: TimeoutKind, round: number): number {
  const growth = options[kind];
  return growth.baseMs + round * growth.deltaMs;
}
