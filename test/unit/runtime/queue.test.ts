import { describe, expect, it } from "vitest";
import { Queue } from "./helpers";

describe("Queue", () => {
  it("keeps FIFO order across compactions", () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) expect(q.shift()).toBe(i);
    q.push(5000);
    expect(q.length).toBe(2001);
    expect(q.drain()[0]).toBe(3000);
    expect(q.shift()).toBeUndefined();
  });
});
