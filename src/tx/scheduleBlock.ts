import type { KvTx } from "./kvTx";

export interface BlockSchedule {
  /**
   * Groups of transactions linked by conflicts, each in block order, ordered by their
   * first transaction. No transaction conflicts with one in another lane, so lanes can
   * run in parallel and each lane in order.
   */
  lanes: number[][];
  /**
   * For each transaction, ascending, the earlier ones it must run after; running each
   * transaction after its deps reproduces block order's outcome. Conflicts a key's
   * history already implies are left out (a write after three reads depends on the
   * reads, not on the write before them), which keeps the total linear in the keys.
   */
  deps: number[][];
}

interface KeyState {
  writer: number;
  /** Readers since `writer`; a later write must wait for all of them. */
  readers: number[];
}

/**
 * Finds which transactions of a block conflict (two touch a key and at least one writes
 * it) using only the declared key sets, in time linear in the number of declared keys.
 * A transaction that reads and writes a key counts as writing it.
 */
export function scheduleBlock(txs: readonly KvTx[]): BlockSchedule {
  const keys = new Map<string, KeyState>();
  const parent = Int32Array.from(txs, (_, i) => i);
  // lastMarked[j] === i when j is already in deps[i]: dedupes without a set per tx.
  const lastMarked = new Int32Array(txs.length).fill(-1);
  const deps = txs.map((tx, i) => {
    const mine: number[] = [];
    // Marking itself keeps a key listed twice from making a transaction its own dep.
    lastMarked[i] = i;
    const depend = (j: number) => {
      if (j < 0 || lastMarked[j] === i) return;
      lastMarked[j] = i;
      mine.push(j);
      union(parent, i, j);
    };
    for (const key of tx.writes) {
      const state = stateOf(keys, key);
      if (state.readers.length === 0) depend(state.writer);
      for (const reader of state.readers) depend(reader);
      state.writer = i;
      state.readers = [];
    }
    for (const key of tx.reads) {
      const state = stateOf(keys, key);
      // Writes went first, so a key this transaction also writes is already ordered.
      if (state.writer === i) continue;
      depend(state.writer);
      state.readers.push(i);
    }
    return mine.sort((a, b) => a - b);
  });
  return { lanes: collectLanes(parent), deps };
}

function stateOf(keys: Map<string, KeyState>, key: string): KeyState {
  let state = keys.get(key);
  if (state === undefined) {
    state = { writer: -1, readers: [] };
    keys.set(key, state);
  }
  return state;
}

function find(parent: Int32Array, i: number): number {
  let root = i;
  while (parent[root] !== root) root = parent[root] as number;
  // Path compression keeps later finds near constant time.
  let node = i;
  while (node !== root) {
    const next = parent[node] as number;
    parent[node] = root;
    node = next;
  }
  return root;
}

/** The smaller index becomes the root, so a lane's root is its first transaction. */
function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

function collectLanes(parent: Int32Array): number[][] {
  const byRoot = new Map<number, number[]>();
  const lanes: number[][] = [];
  for (let i = 0; i < parent.length; i++) {
    const root = find(parent, i);
    let lane = byRoot.get(root);
    if (lane === undefined) {
      lane = [];
      byRoot.set(root, lane);
      lanes.push(lane);
    }
    lane.push(i);
  }
  return lanes;
}
