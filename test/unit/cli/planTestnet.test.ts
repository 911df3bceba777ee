import { describe, expect, it } from "vitest";
import {
  planChains,
  planTestnet,
  testnetHost,
} from "../../../src/cli/commands/testnet/planTestnet";

function degrees(n: number, k: number): number[] {
  const plan = planTestnet(n, k, 7800);
  const deg = new Array<number>(n).fill(0);
  for (const p of plan) {
    for (const j of p.dials) {
      deg[p.index] = (deg[p.index] ?? 0) + 1;
      deg[j] = (deg[j] ?? 0) + 1;
    }
  }
  return deg;
}

function connected(n: number, k: number): boolean {
  const plan = planTestnet(n, k, 7800);
  const adj = plan.map(() => [] as number[]);
  for (const p of plan) {
    for (const j of p.dials) {
      adj[p.index]?.push(j);
      adj[j]?.push(p.index);
    }
  }
  const seen = new Set([0]);
  const stack = [0];
  while (stack.length > 0) {
    for (const j of adj[stack.pop() as number] ?? []) {
      if (!seen.has(j)) {
        seen.add(j);
        stack.push(j);
      }
    }
  }
  return seen.size === n;
}

describe("planTestnet()", () => {
  it.each([
    [20, 6],
    [50, 8],
    [7, 4],
    [10, 3],
    [1000, 8],
  ])("gives every node of %i the degree %i and a connected graph", (n, k) => {
    expect(new Set(degrees(n, k))).toEqual(new Set([k]));
    expect(connected(n, k)).toBe(true);
  });

  it("caps the degree at n - 1 for small testnets", () => {
    expect(degrees(3, 6)).toEqual([2, 2, 2]);
    expect(degrees(1, 6)).toEqual([0]);
  });

  it("dials each pair once, from the lower index", () => {
    for (const p of planTestnet(20, 6, 7800))
      for (const j of p.dials) expect(j).toBeGreaterThan(p.index);
  });

  it("puts every node on its own loopback address, never .0, .1 or .255", () => {
    const hosts = planTestnet(600, 6, 7800).map((p) => p.host);
    expect(new Set(hosts).size).toBe(600);
    expect(hosts[0]).toBe("127.0.0.2");
    expect(testnetHost(249)).toBe("127.0.0.251");
    expect(testnetHost(250)).toBe("127.0.1.2");
    for (const h of hosts)
      expect(h).toMatch(/^127\.0\.\d+\.([2-9]|[1-9]\d|1\d\d|2[0-4]\d|25[01])$/);
  });

  it("refuses sizes and degrees out of range", () => {
    expect(() => planTestnet(0, 6, 7800)).toThrow(/1 to 2000/);
    expect(() => planTestnet(5, 0, 7800)).toThrow(/degree 0/);
  });
});

describe("planChains()", () => {
  it("gives each chain v consecutive validators, spread so chains overlap on small testnets", () => {
    expect(planChains(7, 4, 1)).toEqual([[0, 1, 2, 3]]);
    expect(planChains(8, 5, 2)).toEqual([
      [0, 1, 2, 3, 4],
      [4, 5, 6, 7, 0],
    ]);
    expect(planChains(5, undefined, 1)).toEqual([]);
    expect(() => planChains(3, 4, 1)).toThrow(/4 validators on a 3-node/);
  });
});
