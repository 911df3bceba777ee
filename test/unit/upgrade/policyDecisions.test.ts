import { describe, expect, it } from "vitest";
import { nextStep, planFetches, planSwap, rolloutDelay } from "../../../src/upgrade";

describe("nextStep()", () => {
  it.each([
    ["auto", false, false, true, "fetch"],
    ["notify", false, false, true, "fetch"],
    ["manual", false, false, true, "wait-for-operator"],
    ["manual", false, true, true, "fetch"],
    ["auto", true, false, true, "apply"],
    ["auto", true, false, false, "wait-for-turn"],
    ["notify", true, false, true, "wait-for-operator"],
    ["notify", true, true, false, "apply"],
  ] as const)(
    "policy %s, complete %s, approved %s, turn come %s: %s",
    (policy, complete, approved, turnCome, step) => {
      expect(nextStep({ policy, complete, approved, turnCome })).toBe(step);
    },
  );
});

describe("rolloutDelay()", () => {
  it("spreads nodes over the window, differently for each release", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `node-${i}`);
    const d1 = ids.map((id) => rolloutDelay(id, "1.0.0", 1000));
    expect(Math.min(...d1)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d1)).toBeLessThan(1000);
    expect(d1.filter((d) => d < 500).length).toBeGreaterThan(60);
    expect(ids.map((id) => rolloutDelay(id, "1.0.1", 1000))).not.toEqual(d1);
    expect(rolloutDelay("x", "1.0.0", 0)).toBe(0);
  });
});

describe("planFetches()", () => {
  const holders = new Map([
    ["p1", new Set(["a/0", "a/1", "a/2"])],
    ["p2", new Set(["a/0", "a/1"])],
    ["p3", new Set(["a/0"])],
  ]);
  const peers = ["p1", "p2", "p3"].map((id) => ({ id, inFlight: 0, capacity: 4 }));

  it("fetches the rarest chunk first, from a holder with room", () => {
    const plan = planFetches({
      needed: ["a/0", "a/1", "a/2"],
      holders,
      peers,
      budget: 3,
      salt: "n",
    });
    expect(plan.map((p) => p.key)).toEqual(["a/2", "a/1", "a/0"]);
    expect(plan[0]).toEqual({ key: "a/2", peer: "p1" });
    expect(new Set(plan.map((p) => p.peer)).size).toBe(3);
  });

  it("never asks a peer with no capacity (banned or resting) and stays in budget", () => {
    const plan = planFetches({
      needed: ["a/0", "a/1", "a/2"],
      holders,
      peers: peers.map((p) => (p.id === "p1" ? { ...p, capacity: 0 } : p)),
      budget: 2,
      salt: "n",
    });
    expect(plan.every((p) => p.peer !== "p1")).toBe(true);
    expect(plan).toHaveLength(2);
  });
});

describe("planSwap()", () => {
  it("swaps only changed engines, in dependency order, never the upgrade engine", () => {
    const running = ["api", "mempool", "storage", "upgrade", "router"].map((name) => ({
      name,
      version: "1.0.0",
    }));
    const next = {
      api: { version: "1.1.0" },
      mempool: { version: "1.1.0" },
      storage: { version: "1.1.0" },
      upgrade: { version: "2.0.0" },
      router: { version: "1.0.0" },
    };
    expect(planSwap(running, next, ["upgrade"]).map((e) => e.name)).toEqual([
      "storage",
      "mempool",
      "api",
    ]);
  });
});
