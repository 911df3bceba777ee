import { describe, expect, it } from "vitest";
import { PendingValidations, VirtualClock } from "../../../src/p2p";

describe("PendingValidations", () => {
  it("take() returns a held entry once and cancels its timeout", () => {
    const clock = new VirtualClock();
    const timedOut: string[] = [];
    const p = new PendingValidations<string>({ maxPending: 4, timeoutMs: 100 }, clock);
    expect(p.hold("a", "A", (v) => timedOut.push(v))).toBe(true);
    expect(p.take("a")).toBe("A");
    expect(p.take("a")).toBeUndefined();
    clock.advance(1_000);
    expect(timedOut).toEqual([]);
  });

  it("drops an entry not taken within the timeout, and only then", () => {
    const clock = new VirtualClock();
    const timedOut: string[] = [];
    const p = new PendingValidations<string>({ maxPending: 4, timeoutMs: 100 }, clock);
    p.hold("a", "A", (v) => timedOut.push(v));
    clock.advance(99);
    expect(p.size).toBe(1);
    clock.advance(1);
    expect(timedOut).toEqual(["A"]);
    expect(p.size).toBe(0);
    expect(p.take("a")).toBeUndefined();
  });

  it("refuses an entry over the bound or under an id already held", () => {
    const clock = new VirtualClock();
    const p = new PendingValidations<number>({ maxPending: 2, timeoutMs: 100 }, clock);
    expect(p.hold("a", 1, () => {})).toBe(true);
    expect(p.hold("a", 2, () => {})).toBe(false);
    expect(p.hold("b", 3, () => {})).toBe(true);
    expect(p.full).toBe(true);
    expect(p.hold("c", 4, () => {})).toBe(false);
    expect(p.take("a")).toBe(1);
    expect(p.hold("c", 4, () => {})).toBe(true);
  });

  it("clear() drops everything without running timeouts", () => {
    const clock = new VirtualClock();
    const timedOut: number[] = [];
    const p = new PendingValidations<number>({ maxPending: 2, timeoutMs: 100 }, clock);
    p.hold("a", 1, (v) => timedOut.push(v));
    p.clear();
    clock.advance(1_000);
    expect(p.size).toBe(0);
    expect(timedOut).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
