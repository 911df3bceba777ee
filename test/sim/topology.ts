import type { Rng } from "../../src/p2p";

/** Undirected edges [i, j] with i < j, no duplicates. */
export type Edges = [number, number][];

function dedupe(n: number, pairs: Iterable<[number, number]>): Edges {
  const seen = new Set<number>();
  const out: Edges = [];
  for (const [x, y] of pairs) {
    if (x === y) continue;
    const i = Math.min(x, y);
    const j = Math.max(x, y);
    const key = i * n + j;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([i, j]);
  }
  return out;
}

/** Ring lattice: node i linked to i±1..i±k/2. Connected, exactly degree k (k even, k < n). */
export function circulant(n: number, k: number): Edges {
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i += 1) {
    for (let d = 1; d <= k / 2; d += 1) pairs.push([i, (i + d) % n]);
  }
  return dedupe(n, pairs);
}

/**
 * The union of k/2 random Hamiltonian cycles: connected (any one cycle is), degree at
 * most k and almost always exactly k, with the short diameter of a random graph.
 */
export function randomCycles(n: number, k: number, rng: Rng): Edges {
  const pairs: [number, number][] = [];
  for (let c = 0; c < k / 2; c += 1) {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i -= 1) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let i = 0; i < n; i += 1) pairs.push([order[i] as number, order[(i + 1) % n] as number]);
  }
  return dedupe(n, pairs);
}
