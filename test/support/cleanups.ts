import { afterEach } from "vitest";

/** Registers undo steps during a test; afterEach runs them newest first. */
export function useCleanups(): (step: () => Promise<void> | void) => void {
  let steps: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const s of steps.reverse()) await s();
    steps = [];
  });
  return (step) => {
    steps.push(step);
  };
}
