import type { Rng } from "./contract";

/** Up to `count` of `items`, drawn at random. */
export function pick<T>(items: readonly T[], count: number, rng: Rng): T[] {
  const copy = [...items];
  const out: T[] = [];
  while (out.length < count && copy.length > 0) {
    const i = Math.floor(rng.next() * copy.length);
    out.push(copy[i] as T);
    copy[i] = copy[copy.length - 1] as T;
    copy.pop();
  }
  return out;
}
