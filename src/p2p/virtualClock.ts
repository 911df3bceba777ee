import type { Clock } from "./contract";

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A Clock whose timers can all be cancelled at once: how the simulator "kills" a node. */
export interface ScopedClock extends Clock {
  cancelAll(): void;
}

export interface RunOptions {
  /** Stop as soon as this returns true (checked after every event). */
  readonly until?: () => boolean;
  /** Virtual time not to run past. */
  readonly deadline?: number;
  /** Bound on events processed, a guard against runaway loops. */
  readonly maxEvents?: number;
}

export interface RunResult {
  /** "done": `until` held; "idle": no events left; "deadline"/"max-events": a bound hit. */
  readonly stopped: "done" | "idle" | "deadline" | "max-events";
  readonly events: number;
  readonly now: number;
}

const DEFAULT_MAX_EVENTS = 50_000_000;

/**
 * Virtual time driven by an event queue. Events run in (time, insertion) order, so a run
 * is a pure function of what was scheduled: the basis of the simulator's repeatability.
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly heap: Scheduled[] = [];
  private live = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** Events scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.live;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const event: Scheduled = {
      at: this.time + Math.max(0, ms),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.push(event);
    this.live += 1;
    return () => {
      if (!event.cancelled) {
        event.cancelled = true;
        this.live -= 1;
      }
    };
  }

  scope(): ScopedClock {
    const cancels = new Set<() => void>();
    return {
      now: () => this.now(),
      setTimeout: (fn, ms) => {
        const cancel = this.setTimeout(() => {
          cancels.delete(cancel);
          fn();
        }, ms);
        cancels.add(cancel);
        return () => {
          cancels.delete(cancel);
          cancel();
        };
      },
      cancelAll: () => {
        for (const cancel of cancels) cancel();
        cancels.clear();
      },
    };
  }

  /** Runs the next event; false when none is left. */
  step(): boolean {
    for (;;) {
      const event = this.pop();
      if (event === undefined) return false;
      if (event.cancelled) continue;
      event.cancelled = true;
      this.live -= 1;
      this.time = event.at;
      event.fn();
      return true;
    }
  }

  /** Time of the next live event, if any. */
  peek(): number | undefined {
    while (this.heap.length > 0 && this.heap[0]?.cancelled === true) this.pop();
    return this.heap[0]?.at;
  }

  run(options: RunOptions = {}): RunResult {
    const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    let events = 0;
    for (;;) {
      if (options.until?.() === true) return { stopped: "done", events, now: this.time };
      if (events >= maxEvents) return { stopped: "max-events", events, now: this.time };
      const next = this.peek();
      if (next === undefined) return { stopped: "idle", events, now: this.time };
      if (options.deadline !== undefined && next > options.deadline) {
        this.time = Math.max(this.time, options.deadline);
        return { stopped: "deadline", events, now: this.time };
      }
      this.step();
      events += 1;
    }
  }

  /** Runs every event up to `ms` from now, then sets the time to exactly that. */
  advance(ms: number): RunResult {
    return this.run({ deadline: this.time + ms });
  }

  private push(event: Scheduled): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Scheduled;
      if (before(p, event)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): Scheduled | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const l = heap[left] as Scheduled;
      const r = heap[right];
      const child = r !== undefined && before(r, l) ? right : left;
      const c = heap[child] as Scheduled;
      if (before(last, c)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
