import { createHash } from "node:crypto";

export interface PeerSlot {
  id: string;
  /** Chunk requests to this peer now in flight. */
  inFlight: number;
  /** Requests this peer may have in flight at once (0 while it is banned or resting). */
  capacity: number;
}

export interface FetchPlanInput {
  /** Chunk keys this node still needs and is not fetching. */
  needed: readonly string[];
  /** Which chunks each peer says it holds. */
  holders: ReadonlyMap<string, ReadonlySet<string>>;
  peers: readonly PeerSlot[];
  /** New requests this node may start now (its parallel limit minus what is in flight). */
  budget: number;
  /** Spreads equal choices differently on each node, so neighbours fetch different chunks. */
  salt: string;
}

export interface PlannedFetch {
  key: string;
  peer: string;
}

/**
 * Rarest first: the chunks the fewest peers hold are fetched first (so they spread before
 * their holders leave or get busy), each from its least loaded holder. Ties are broken by
 * a hash with this node's salt, not by order, so nodes do not all chase the same chunk.
 */
export function planFetches(input: FetchPlanInput): PlannedFetch[] {
  if (input.budget <= 0) return [];
  const load = new Map(input.peers.map((p) => [p.id, p]));
  const assigned = new Map<string, number>();
  const free = (id: string) => {
    const p = load.get(id);
    return p === undefined ? 0 : p.capacity - p.inFlight - (assigned.get(id) ?? 0);
  };
  const rarity = (key: string) => {
    let n = 0;
    for (const set of input.holders.values()) if (set.has(key)) n++;
    return n;
  };
  const order = input.needed
    .map((key) => ({ key, rarity: rarity(key), tie: tieBreak(input.salt, key) }))
    .filter((c) => c.rarity > 0)
    .sort((a, b) => a.rarity - b.rarity || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0));
  const plan: PlannedFetch[] = [];
  for (const { key } of order) {
    if (plan.length >= input.budget) break;
    let best: { id: string; free: number; tie: string } | undefined;
    for (const [id, set] of input.holders) {
      if (!set.has(key)) continue;
      const f = free(id);
      if (f <= 0) continue;
      const tie = tieBreak(input.salt + key, id);
      if (best === undefined || f > best.free || (f === best.free && tie < best.tie)) {
        best = { id, free: f, tie };
      }
    }
    if (best === undefined) continue;
    assigned.set(best.id, (assigned.get(best.id) ?? 0) + 1);
    plan.push({ key, peer: best.id });
  }
  return plan;
}

function tieBreak(salt: string, key: string): string {
  return createHash("sha1").update(`${salt}\n${key}`).digest("hex").slice(0, 12);
}
