import type { Clock } from "./contract";

export interface PendingValidationsOptions {
  /** Entries held at once; `hold` refuses one more. */
  readonly maxPending: number;
  /** An entry not taken within this is dropped and `onTimeout` runs. */
  readonly timeoutMs: number;
}

/**
 * Gossip messages delivered to their subscriber and held, unrelayed, until its verdict:
 * bounded in number and in time, so a peer flooding a validated topic costs a fixed
 * amount of memory and a silent subscriber never lets anything through.
 */
export class PendingValidations<T> {
  private readonly entries = new Map<string, { value: T; cancel: () => void }>();

  constructor(
    private readonly options: PendingValidationsOptions,
    private readonly clock: Clock,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get full(): boolean {
    return this.entries.size >= this.options.maxPending;
  }

  /** Holds `value` under `id`; false (nothing held) when full or `id` is held already. */
  hold(id: string, value: T, onTimeout: (value: T) => void): boolean {
    if (this.full || this.entries.has(id)) return false;
    const cancel = this.clock.setTimeout(() => {
      if (this.entries.delete(id)) onTimeout(value);
    }, this.options.timeoutMs);
    this.entries.set(id, { value, cancel });
    return true;
  }

  /** Removes and returns the entry under `id`, or undefined when none is held (any more). */
  take(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    this.entries.delete(id);
    entry.cancel();
    return entry.value;
  }

  /** Drops everything held, with no timeouts run. */
  clear(): void {
    for (const entry of this.entries.values()) entry.cancel();
    this.entries.clear();
  }
}
