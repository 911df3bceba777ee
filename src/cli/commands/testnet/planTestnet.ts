import { cliError } from "../../cliError";
import { EXIT } from "../../exitCodes";

export interface PlannedNode {
  index: number;
  /** Its own loopback address: 127.0.0.2, 127.0.0.3, ... */
  host: string;
  p2pPort: number;
  apiPort: number;
  /** Indexes of the nodes this one dials (each pair is dialed by its lower index). */
  dials: number[];
}

export const MAX_TESTNET_NODES = 2000;

/** Loopback address of node `index`: 127.0.x.y with y in 2..251, so none ends in 0, 1 or 255. */
export function testnetHost(index: number): string {
  return `127.0.${Math.floor(index / 250)}.${(index % 250) + 2}`;
}

/**
 * The layout of an n-node testnet: distinct loopback addresses, the same two ports on each,
 * and a circulant graph in which every node has `degree` neighbours (fewer when n is
 * small). A circulant graph with offset 1 is a ring plus chords, so it is connected.
 */
export function planTestnet(n: number, degree: number, basePort: number): PlannedNode[] {
  if (!Number.isInteger(n) || n < 1 || n > MAX_TESTNET_NODES) {
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_OPTION",
      `Cannot plan a testnet of ${n} nodes: use 1 to ${MAX_TESTNET_NODES}`,
    );
  }
  if (!Number.isInteger(degree) || degree < 1) {
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_OPTION",
      `Cannot plan a testnet with degree ${degree}: use 1 or more`,
    );
  }
  const k = Math.min(degree, n - 1);
  const edges = new Set<string>();
  const add = (a: number, b: number) => {
    if (a !== b) edges.add(a < b ? `${a}-${b}` : `${b}-${a}`);
  };
  for (let i = 0; i < n; i++) {
    for (let d = 1; d <= Math.floor(k / 2); d++) add(i, (i + d) % n);
    // An odd degree on an even ring also links each node to the one opposite.
    if (k % 2 === 1 && n % 2 === 0) add(i, (i + n / 2) % n);
  }
  const nodes: PlannedNode[] = Array.from({ length: n }, (_, index) => ({
    index,
    host: testnetHost(index),
    p2pPort: basePort,
    apiPort: basePort + 1,
    dials: [],
  }));
  for (const e of edges) {
    const [a, b] = e.split("-").map(Number) as [number, number];
    (nodes[a] as PlannedNode).dials.push(b);
  }
  for (const node of nodes) node.dials.sort((x, y) => x - y);
  return nodes;
}

/**
 * Which nodes validate each chain: `validators` consecutive nodes per chain, the chains'
 * first nodes spread evenly, so chains overlap when n < chains × validators.
 */
export function planChains(n: number, validators: number | undefined, chains: number): number[][] {
  if (validators === undefined) return [];
  if (validators > n) {
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_OPTION",
      `Cannot plan ${validators} validators on a ${n}-node testnet`,
    );
  }
  const stride = Math.max(1, Math.floor(n / chains));
  return Array.from({ length: chains }, (_, c) =>
    Array.from({ length: validators }, (_, k) => (c * stride + k) % n),
  );
}
