interface Waiter {
  height: number;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Pending reads of heights not committed yet; each is settled exactly once and its timer cleared. */
export class HeightWaiters {
  readonly #waiters = new Set<Waiter>();

  get size(): number {
    return this.#waiters.size;
  }

  /** Resolves once release() reaches `height`; rejects with timeoutError() after `timeoutMs`. */
  wait(height: number, timeoutMs: number, timeoutError: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        height,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(timeoutError());
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  release(height: number): void {
    for (const waiter of this.#waiters) {
      if (waiter.height <= height) this.#settle(waiter).resolve();
    }
  }

  rejectAll(err: Error): void {
    for (const waiter of this.#waiters) this.#settle(waiter).reject(err);
  }

  #settle(waiter: Waiter): Waiter {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
    return waiter;
  }
}
