import { describe, expect, it } from "vitest";
import { testnetTimeouts } from "../../../src/cli/commands/testnet/testnetTimeouts";

describe("testnetTimeouts", () => {
  it("keeps the base timeouts while the cores keep up with a height", () => {
    expect(testnetTimeouts(10, 5, 2)).toEqual({
      proposeTimeoutMs: 1000,
      voteTimeoutMs: 500,
      timeoutDeltaMs: 250,
      emptyBlockIntervalMs: 500,
      scale: 1,
    });
    expect(testnetTimeouts(1, 0, 1).scale).toBe(1);
  });

  it("grows every timeout by how long a height's CPU takes on the shared cores", () => {
    // 100 nodes x 50 validators x 5 ms over 2 cores: 12.5 s of CPU per height.
    const t = testnetTimeouts(100, 50, 2);
    expect(t.scale).toBe(13);
    expect(t).toMatchObject({
      proposeTimeoutMs: 13_000,
      voteTimeoutMs: 6500,
      timeoutDeltaMs: 3250,
      emptyBlockIntervalMs: 6500,
    });
    // More cores, less waiting; the same testnet on 16 cores needs a quarter of it.
    expect(testnetTimeouts(100, 50, 16).scale).toBe(2);
    expect(testnetTimeouts(100, 50, 0).scale).toBe(25);
  });
});
