export interface SeenCacheOptions {
  /** How long an id is remembered. */
  readonly ttlMs: number;
  /** Bound on ids held; the oldest go first when it is reached. */
  readonly maxEntries: number;
}

/**
 * The gossip seen-cache: message ids with an expiry, in insertion order. Time only moves
 * forward, so insertion order is expiry order and both pruning and eviction pop the oldest.
 */
export class SeenCache {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly options: SeenCacheOptions) {}

  get size(): number {
    return this.expiries.size;
  }

  has(id: string, now: number): boolean {
    const expiry = this.expiries.get(id);
    return expiry !== undefined && expiry > now;
  }

  /** Records `id`; true if it was new (not seen within the ttl). */
  add(id: string, now: number): boolean {
    this.prune(now);
    if (this.has(id, now)) return false;
    this.expiries.delete(id);
    while (this.expiries.size >= this.options.maxEntries) this.evictOldest();
    this.expiries.set(id, now + this.options.ttlMs);
    return true;
  }

  private prune(now: number): void {
    for (const [id, expiry] of this.expiries) {
      if (expiry > now) return;
      this.expiries.delete(id);
    }
  }

  private evictOldest(): void {
    const oldest = this.expiries.keys().next();
    if (oldest.done === true) return;
    this.expiries.delete(oldest.value);
  }
}
