export * from "../../../src/runtime";

import { NodeError } from "../../../src/errors";

export function hasCodeOf(err: unknown, code: string): boolean {
  return err instanceof NodeError && err.code === code;
}

export function waitFor(pred: () => boolean, ms = 2000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (pred()) return resolve();
      if (Date.now() > deadline)
        return reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      setTimeout(tick, 2);
    };
    tick();
  });
}
