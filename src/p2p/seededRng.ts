import type { Rng } from "./contract";

/** Rng with a byte helper, so a simulator can also derive challenges and keys from the seed. */
export interface SeededRng extends Rng {
  bytes(length: number): Uint8Array;
  /** An independent generator, so adding draws in one place does not shift another's. */
  fork(): SeededRng;
}

const UINT32 = 4294967296;

/** mulberry32: tiny, fast and good enough for simulation; never for secrets. */
export function seededRng(seed: number): SeededRng {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next: () => nextUint32() / UINT32,
    bytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 1) out[i] = nextUint32() & 0xff;
      return out;
    },
    fork: () => seededRng(nextUint32()),
  };
}
