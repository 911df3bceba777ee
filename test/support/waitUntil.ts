export interface WaitOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Pause between checks (default 10 ms). */
  everyMs?: number;
  /** Runs after each failed check, e.g. to cause what the check waits for. */
  between?: () => Promise<unknown>;
}

/** Polls `check` until it holds; fails naming `what` once `timeoutMs` has passed. */
export async function waitUntil(
  check: () => boolean,
  what: string,
  opts: WaitOptions = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    if (opts.between) await opts.between();
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 10));
  }
}
