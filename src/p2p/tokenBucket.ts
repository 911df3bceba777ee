/**
 * A token bucket: holds up to `capacity` tokens and refills at `ratePerSecond`. Time is
 * passed in, never read, so the limiter is a pure state machine that tests drive.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes `amount` tokens if there are that many; false (and nothing taken) otherwise. */
  take(amount: number, now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    if (amount > this.tokens) return false;
    this.tokens -= amount;
    return true;
  }
}
