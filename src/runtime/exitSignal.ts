import type { ExitReason, RuntimeLogger } from "./types";

type Listener = (reason: ExitReason) => void;

/**
 * The one-time "this process has ended" signal that engines and supervisors give whoever
 * links to them. A listener added after the end still hears it, on a later tick.
 */
export class ExitSignal {
  private readonly listeners = new Set<Listener>();
  private value: ExitReason | undefined;

  get reason(): ExitReason | undefined {
    return this.value;
  }

  on(listener: Listener): () => void {
    const reason = this.value;
    if (reason !== undefined) {
      queueMicrotask(() => listener(reason));
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends it once (false if it had already ended); a failing listener is logged, not fatal. */
  fire(reason: ExitReason, log: RuntimeLogger, context: Record<string, unknown>): boolean {
    if (this.value !== undefined) return false;
    this.value = reason;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) {
      try {
        l(reason);
      } catch (err) {
        log.error("exit listener failed", { ...context, err });
      }
    }
    return true;
  }
}
