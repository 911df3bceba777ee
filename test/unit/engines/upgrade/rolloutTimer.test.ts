import { afterEach, describe, expect, it, vi } from "vitest";
import { nodeOptionsSchema } from "../../../../src/config";
import { decide } from "../../../../src/engines/upgrade/applying";
import type { UpgradeEngineState } from "../../../../src/engines/upgrade/upgradeTypes";
import type { EngineContext } from "../../../../src/runtime";
import { MAX_TURN_WAIT_MS, rolloutDelay } from "../../../../src/upgrade";

/** Node fires a longer timer at once (after a warning), so a longer wait becomes a busy loop. */
const NODE_TIMER_LIMIT_MS = 2 ** 31 - 1;
const CREATED = Date.parse("2026-03-01T00:00:00.000Z");
const VERSION = "0.9.0";

/** The largest rolloutWindowMs the config schema lets an operator set. */
const MAX_WINDOW_MS = (
  nodeOptionsSchema as unknown as {
    properties: { upgrade: { properties: { rolloutWindowMs: { maximum: number } } } };
  }
).properties.upgrade.properties.rolloutWindowMs.maximum;

/** Just what decide() reads of the engine's state: one verified release, policy auto. */
function stateFor(nodeId: string) {
  const release = {
    version: VERSION,
    status: "verified",
    approved: false,
    note: "",
    signed: { manifest: { createdAt: new Date(CREATED).toISOString() } },
  };
  const state = {
    releases: new Map([[VERSION, release]]),
    running: "0.0.0",
    applying: false,
    trial: undefined,
    args: { nodeId, clockOffsetMs: 0, options: { policy: "auto", rolloutWindowMs: MAX_WINDOW_MS } },
  };
  return state as unknown as UpgradeEngineState;
}

/** A context that records timers and infos instead of running them. */
function recorder() {
  const timers: number[] = [];
  const infos: Array<{ type: string }> = [];
  const ctx = {
    sendAfter: (ms: number) => {
      timers.push(ms);
      return () => {};
    },
    info: (m: { type: string }) => infos.push(m),
  };
  return { ctx: ctx as unknown as EngineContext, timers, infos };
}

describe("decide() under the maximum rollout window", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the maximum window is one where some nodes' turns are past Node's timer limit", () => {
    // The case the cap exists for: about one node in six.
    expect(MAX_WINDOW_MS).toBeGreaterThan(NODE_TIMER_LIMIT_MS);
    const far = Array.from({ length: 600 }, (_, i) => `node-${i}`).filter(
      (id) => rolloutDelay(id, VERSION, MAX_WINDOW_MS) > NODE_TIMER_LIMIT_MS,
    );
    expect(far.length).toBeGreaterThan(50);
  });

  it("never arms a timer longer than MAX_TURN_WAIT_MS, which is under Node's limit", () => {
    expect(MAX_TURN_WAIT_MS).toBeLessThan(NODE_TIMER_LIMIT_MS);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(CREATED);
    for (let i = 0; i < 600; i++) {
      const r = recorder();
      decide(stateFor(`node-${i}`), r.ctx, VERSION);
      for (const ms of r.timers) {
        expect(ms).toBeGreaterThanOrEqual(100);
        expect(ms).toBeLessThanOrEqual(MAX_TURN_WAIT_MS);
      }
    }
  });

  it("walks a far node to its turn in hour-long waits and applies then, not before", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const id = Array.from({ length: 600 }, (_, i) => `node-${i}`).find(
      (n) => rolloutDelay(n, VERSION, MAX_WINDOW_MS) > NODE_TIMER_LIMIT_MS,
    ) as string;
    const turnAt = CREATED + rolloutDelay(id, VERSION, MAX_WINDOW_MS);
    const state = stateFor(id);
    let now = CREATED;
    let waits = 0;
    for (;;) {
      vi.setSystemTime(now);
      const r = recorder();
      decide(state, r.ctx, VERSION);
      if (r.infos.some((m) => m.type === "applyNow")) break;
      expect(r.timers).toHaveLength(1);
      const ms = r.timers[0] as number;
      expect(ms).toBeLessThanOrEqual(MAX_TURN_WAIT_MS);
      now += ms; // the timer fires
      waits++;
      expect(waits, "a timer loop instead of a wait").toBeLessThan(1_000);
    }
    expect(now).toBeGreaterThanOrEqual(turnAt);
    expect(waits).toBe(Math.ceil((turnAt - CREATED) / MAX_TURN_WAIT_MS));
  });
});
