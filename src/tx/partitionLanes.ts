import { TxError } from "./txError";

/**
 * Packs lanes into at most `workers` bins so each worker gets about the same number of
 * transactions: largest lane first, each into the least loaded bin (ties to the lower
 * bin), which is within 4/3 of the best packing. Empty bins are left out; within a bin,
 * lanes keep the order they had in `lanes`. Deterministic, so every node splits alike.
 */
export function partitionLanes(lanes: readonly number[][], workers: number): number[][][] {
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new TxError(
      { code: "TX_BAD_ARGUMENT", name: "workers", reason: "not a positive safe integer" },
      `Cannot partition lanes over ${workers} workers: it must be a positive safe integer`,
    );
  }
  const binCount = Math.min(workers, lanes.length);
  const order = lanes.map((_, i) => i);
  // Array.prototype.sort is stable, so equal lanes keep their original order.
  order.sort((a, b) => (lanes[b] as number[]).length - (lanes[a] as number[]).length);
  const heap = new BinHeap(binCount);
  const chosen: number[][] = Array.from({ length: binCount }, () => []);
  for (const laneIndex of order) {
    const bin = heap.takeLightest((lanes[laneIndex] as number[]).length);
    (chosen[bin] as number[]).push(laneIndex);
  }
  return chosen
    .filter((indices) => indices.length > 0)
    .map((indices) => indices.sort((a, b) => a - b).map((i) => lanes[i] as number[]));
}

/** A min-heap of bins by (load, index): O(log bins) per lane, for blocks of many lanes. */
class BinHeap {
  private readonly loads: number[];
  private readonly heap: number[];

  constructor(size: number) {
    this.loads = new Array<number>(size).fill(0);
    this.heap = Array.from({ length: size }, (_, i) => i);
  }

  /** Adds `weight` to the lightest bin and returns that bin. */
  takeLightest(weight: number): number {
    const bin = this.heap[0] as number;
    this.loads[bin] = (this.loads[bin] as number) + weight;
    this.siftDown(0);
    return bin;
  }

  private lighter(a: number, b: number): boolean {
    const binA = this.heap[a] as number;
    const binB = this.heap[b] as number;
    const loadA = this.loads[binA] as number;
    const loadB = this.loads[binB] as number;
    return loadA < loadB || (loadA === loadB && binA < binB);
  }

  private siftDown(start: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < this.heap.length && this.lighter(left, best)) best = left;
      if (right < this.heap.length && this.lighter(right, best)) best = right;
      if (best === i) return;
      const swap = this.heap[i] as number;
      this.heap[i] = this.heap[best] as number;
      this.heap[best] = swap;
      i = best;
    }
  }
}
