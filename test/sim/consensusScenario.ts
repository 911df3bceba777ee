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
