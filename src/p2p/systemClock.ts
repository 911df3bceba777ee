import type { Clock } from "./contract";

/**
 * Wall-clock time and real timers for a running node. Timers are unref'd: p2p
 * housekeeping (pings, redials) never keeps a process alive on its own.
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number): (() => void) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
});
