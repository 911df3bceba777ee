import type { TimeoutOptions } from "../../src/consensus";
import { type SeededRng, seededRng } from "../../src/p2p";

/** Everything random about one simulated run, drawn from its seed before it starts. */
export interface Scenario {
  readonly seed: number;
  readonly powers: readonly number[];
  /** Validator indices that equivocate; their power is always under a third. */
  readonly byzantine: readonly number[];
  /** Virtual time of faults; the network heals after it. */
  readonly chaosMs: number;
  readonly dropRate: number;
  readonly duplicateRate: number;
  readonly maxDelayMs: number;
  /** Chance that a message is held back much longer than the rest (reordering). */
  readonly straggleRate: number;
  /** Share of Byzantine votes sent for every value at once rather than split two ways. */
  readonly voteForEverything: number;
  /** Partition episodes during the chaos: from `at`, node i is in group groups[i]. */
  readonly partitions: readonly { readonly at: number; readonly groups: readonly number[] }[];
  /** Full nodes after the validators (indices from powers.length): they follow and relay. */
  readonly fullNodes?: number;
  /** Each node's neighbours; absent, every node reaches every other directly. */
  readonly links?: readonly (readonly number[])[];
  /**
   * Per-link latency range: each link gets a fixed latency in it (plus jitter), before
   * and after the heal; absent, the delays are drawn from maxDelayMs and the heal makes
   * them short.
   */
  readonly linkDelayMs?: readonly [number, number];
  /** Loss once healed (default none). */
  readonly healedDropRate?: number;
  readonly timeouts?: TimeoutOptions;
}

const SMALL = 4;
const LARGE = 7;
const LARGE_SHARE = 0.3;
const UNEQUAL_SHARE = 0.3;
const MAX_POWER = 3;

/** Draws a run's network and faults from its seed. */
export function drawScenario(seed: number): Scenario {
  const rng = seededRng(seed);
  const n = rng.next() < LARGE_SHARE ? LARGE : SMALL;
  const unequal = rng.next() < UNEQUAL_SHARE;
  const powers = Array.from({ length: n }, () => (unequal ? 1 + int(rng, MAX_POWER) : 1));
  const chaosMs = 300 + int(rng, 1200);
  return {
    seed,
    powers,
    byzantine: pickByzantine(powers, rng),
    chaosMs,
    dropRate: rng.next() * 0.3,
    duplicateRate: rng.next() * 0.2,
    maxDelayMs: 5 + int(rng, 60),
    straggleRate: rng.next() * 0.1,
    partitions: drawPartitions(n, chaosMs, rng),
    voteForEverything: rng.next(),
  };
}

/** Up to f Byzantine validators: as many as keep their total power under a third. */
function pickByzantine(powers: readonly number[], rng: SeededRng): number[] {
  const total = powers.reduce((a, b) => a + b, 0);
  const wanted = int(rng, Math.floor((powers.length - 1) / 3) + 1);
  const order = shuffle(
    powers.map((_, i) => i),
    rng,
  );
  const chosen: number[] = [];
  let power = 0;
  for (const i of order) {
    if (chosen.length >= wanted) break;
    const p = powers[i] as number;
    if (3 * (power + p) < total) {
      chosen.push(i);
      power += p;
    }
  }
  return chosen.sort((a, b) => a - b);
}

function drawPartitions(n: number, chaosMs: number, rng: SeededRng): Scenario["partitions"] {
  const episodes: { at: number; groups: number[] }[] = [];
  for (let at = 0; at < chaosMs; at += 50 + int(rng, 250)) {
    const kind = rng.next();
    // a third of the time whole, else a random split or one node cut off
    if (kind < 0.33) episodes.push({ at, groups: new Array<number>(n).fill(0) });
    else if (kind < 0.66) {
      const alone = int(rng, n);
      episodes.push({ at, groups: Array.from({ length: n }, (_, i) => (i === alone ? 1 : 0)) });
    } else episodes.push({ at, groups: Array.from({ length: n }, () => int(rng, 2)) });
  }
  return episodes;
}

function int(rng: SeededRng, below: number): number {
  return Math.floor(rng.next() * below);
}

function shuffle<T>(items: T[], rng: SeededRng): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = int(rng, i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export interface ScaleOptions {
  readonly validators?: number;
  readonly fullNodes?: number;
  /** Average number of neighbours. */
  readonly degree?: number;
}

/** CometBFT's QA testnet in spirit: 175 validators and 25 full nodes, unless told otherwise. */
export const SCALE_VALIDATORS = 175;
export const SCALE_FULL_NODES = 25;
const SCALE_DEGREE = 10;
const SCALE_LOSS = 0.1;
const SCALE_LINK_DELAY_MS: readonly [number, number] = [50, 200];
/** Rounds long enough for a few hops of 200 ms links. */
const SCALE_TIMEOUTS: TimeoutOptions = {
  propose: { baseMs: 1000, deltaMs: 300 },
  prevote: { baseMs: 600, deltaMs: 150 },
  precommit: { baseMs: 600, deltaMs: 150 },
};

/**
 * A large network drawn from its seed: equal-power validators and full nodes on a random
 * connected graph, every link with its own latency in 50-200 ms, 10 % of frames lost
 * throughout (after the heal too), and a half/half partition from a random moment until
 * the heal. No Byzantine validators (crashes come from the sim's crash plan).
 */
export function drawScaleScenario(seed: number, options: ScaleOptions = {}): Scenario {
  const rng = seededRng(seed ^ 0x5ca1e);
  const validators = options.validators ?? SCALE_VALIDATORS;
  const count = validators + (options.fullNodes ?? SCALE_FULL_NODES);
  const chaosMs = 2000 + int(rng, 2000);
  const splitAt = 200 + int(rng, 800);
  const order = shuffle(
    Array.from({ length: count }, (_, i) => i),
    rng,
  );
  const groups = new Array<number>(count).fill(0);
  for (const i of order.slice(0, count >> 1)) groups[i] = 1;
  return {
    seed,
    powers: new Array<number>(validators).fill(1),
    byzantine: [],
    chaosMs,
    dropRate: SCALE_LOSS,
    healedDropRate: SCALE_LOSS,
    duplicateRate: 0,
    maxDelayMs: SCALE_LINK_DELAY_MS[1],
    straggleRate: 0,
    voteForEverything: 0,
    partitions: [
      { at: 0, groups: new Array<number>(count).fill(0) },
      { at: splitAt, groups },
    ],
    fullNodes: count - validators,
    links: randomGraph(count, options.degree ?? SCALE_DEGREE, rng),
    linkDelayMs: SCALE_LINK_DELAY_MS,
    timeouts: SCALE_TIMEOUTS,
  };
}

/** A ring through a random order (so it is connected) plus random edges up to `degree` on average. */
function randomGraph(count: number, degree: number, rng: SeededRng): number[][] {
  const sets = Array.from({ length: count }, () => new Set<number>());
  const link = (a: number, b: number) => {
    if (a === b || (sets[a] as Set<number>).has(b)) return false;
    (sets[a] as Set<number>).add(b);
    (sets[b] as Set<number>).add(a);
    return true;
  };
  const order = shuffle(
    Array.from({ length: count }, (_, i) => i),
    rng,
  );
  for (let i = 0; i < count; i += 1) link(order[i] as number, order[(i + 1) % count] as number);
  let edges = count;
  const wanted = Math.floor((count * degree) / 2);
  while (edges < wanted) if (link(int(rng, count), int(rng, count))) edges += 1;
  return sets.map((s) => [...s].sort((a, b) => a - b));
}
