import type { Rng } from "./contract";

/** Math.random, for jitter only; anything secret comes from node:crypto instead. */
export const systemRng: Rng = Object.freeze({ next: () => Math.random() });
