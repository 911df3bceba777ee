import { afterEach, describe, expect, it, vi } from "vitest";
import { HeightWaiters } from "../../../src/storage/heightWaiters";

describe("HeightWaiters", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("resolves waiters at or below the released height and keeps the rest", async () => {
    const waiters = new HeightWaiters();
    const timeout = () => new Error("timeout");
    const order: number[] = [];
    const two = waiters.wait(2, 1000, timeout).then(() => order.push(2));
    const three = waiters.wait(3, 1000, timeout).then(() => order.push(3));
    waiters.release(2);
    await two;
    expect(order).toEqual([2]);
    expect(waiters.size).toBe(1);
    waiters.release(5);
    await three;
    expect(waiters.size).toBe(0);
  });

  it("rejects with the timeout error after timeoutMs and forgets the waiter", async () => {
    vi.useFakeTimers();
    const waiters = new HeightWaiters();
    const pending = waiters.wait(1, 50, () => new Error("too slow"));
    const settled = expect(pending).rejects.toThrow("too slow");
    vi.advanceTimersByTime(50);
    await settled;
    expect(waiters.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("clears the timer of a released waiter", async () => {
    vi.useFakeTimers();
    const waiters = new HeightWaiters();
    const pending = waiters.wait(1, 50, () => new Error("too slow"));
    waiters.release(1);
    await pending;
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejectAll() rejects every waiter and clears its timer", async () => {
    vi.useFakeTimers();
    const waiters = new HeightWaiters();
    const a = waiters.wait(1, 50, () => new Error("timeout"));
    const b = waiters.wait(9, 50, () => new Error("timeout"));
    waiters.rejectAll(new Error("closed"));
    await expect(a).rejects.toThrow("closed");
    await expect(b).rejects.toThrow("closed");
    expect(waiters.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
