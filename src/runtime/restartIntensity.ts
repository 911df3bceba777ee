/** Sliding window of restart times: more than `maxRestarts` within `periodMs` is too many. */
export class RestartIntensity {
  private readonly times: number[] = [];

  constructor(
    readonly maxRestarts: number,
    readonly periodMs: number,
  ) {}

  /** Records a restart at `now`; false when it would exceed the intensity. */
  allow(now: number): boolean {
    while (this.times.length > 0 && (this.times[0] as number) <= now - this.periodMs)
      this.times.shift();
    if (this.times.length >= this.maxRestarts) return false;
    this.times.push(now);
    return true;
  }
}
