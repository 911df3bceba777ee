import { describe, expect, it } from "vitest";
import { scheduleActivations } from "../../../../src/engines/upgrade/activation";
import { onActivationDue } from "../../../../src/engines/upgrade/activationDue";
import { decide } from "../../../../src/engines/upgrade/applying";
import type { Release, UpgradeEngineState } from "../../../../src/engines/upgrade/upgradeTypes";
import type { EngineContext } from "../../../../src/runtime";

/**
 * The upgrade engine's side of an activation, short of applying (the integration test
 * test/integration/activation.test.ts applies one on a testnet): what it tells consensus,
 * and what a release waiting for its height says while the chain waits.
 */
function release(version: string, status: Release["status"], o: Partial<Release> = {}): Release {
  return {
    version,
    signed: {
      manifest: {
        version,
        createdAt: new Date().toISOString(),
        activate: { chain: "main", height: 50 },
      },
    },
    status,
    approved: false,
    ...o,
  } as unknown as Release;
}

function harness(o: { releases: Release[]; follows?: boolean; policy?: string; running?: string }) {
  const casts: Array<{ to: unknown; msg: unknown }> = [];
  const warnings: string[] = [];
  const state = {
    running: o.running ?? "0.1.0",
    releases: new Map(o.releases.map((r) => [r.version, r])),
    applying: false,
    trial: undefined,
    args: {
      options: { policy: o.policy ?? "auto", rolloutWindowMs: 0 },
      nodeId: "n1",
      modules: {
        instances: (name: string, scope?: string) =>
          name === "consensus" && scope === "main" && o.follows !== false ? [{}] : [],
      },
    },
  } as unknown as UpgradeEngineState;
  const ctx = {
    cast: (to: unknown, msg: unknown) => casts.push({ to, msg }),
    info: (msg: unknown) => casts.push({ to: "self", msg }),
    sendAfter: () => () => {},
    log: { info: () => {}, warn: (m: string) => warnings.push(m) },
  } as unknown as EngineContext;
  return { state, ctx, casts, warnings };
}

const due = (version: string) =>
  ({ type: "activationDue", chainId: "main", height: 50, version }) as const;

describe("activations in the upgrade engine", () => {
  it("tells the chain's consensus of every newer release that waits for a height, even before it is fetched", () => {
    const h = harness({
      releases: [release("0.2.0", "fetching"), release("0.1.0", "applied")],
    });
    scheduleActivations(h.state, h.ctx);
    expect(h.casts).toEqual([
      {
        to: { engine: "consensus@main" },
        msg: { type: "scheduleActivation", version: "0.2.0", height: 50 },
      },
    ]);
  });

  it("a node that does not follow the chain schedules nothing and takes the release on its turn", () => {
    const h = harness({ releases: [release("0.2.0", "verified")], follows: false });
    scheduleActivations(h.state, h.ctx);
    expect(h.casts).toEqual([]);
    decide(h.state, h.ctx, "0.2.0");
    expect(h.casts).toEqual([{ to: "self", msg: { type: "applyNow", version: "0.2.0" } }]);
  });

  it("a verified release that waits for its height is not applied on its rollout turn", () => {
    const h = harness({ releases: [release("0.2.0", "verified")] });
    decide(h.state, h.ctx, "0.2.0");
    expect(h.casts).toEqual([]);
    expect(h.state.releases.get("0.2.0")?.note).toBe(
      "verified; activates at height 50 of chain main",
    );
  });

  it("at the height, a release still downloading says the chain waits for it", async () => {
    const h = harness({ releases: [release("0.2.0", "fetching")] });
    await onActivationDue(h.state, h.ctx, due("0.2.0"));
    const r = h.state.releases.get("0.2.0");
    expect(r?.activationDue).toBe(true);
    expect(r?.note).toBe("chain main halted at height 50: waiting for this release (fetching)");
    expect(h.casts).toEqual([]);
  });

  it("at the height, a failed release says a fixed one is needed; under manual policy it waits for the operator", async () => {
    const failed = harness({ releases: [release("0.2.0", "failed", { note: "swap failed" })] });
    await onActivationDue(failed.state, failed.ctx, due("0.2.0"));
    expect(failed.state.releases.get("0.2.0")?.note).toBe(
      "chain main halted at height 50: this release failed here (swap failed); a fixed release is needed",
    );
    const manual = harness({ releases: [release("0.2.0", "verified")], policy: "manual" });
    await onActivationDue(manual.state, manual.ctx, due("0.2.0"));
    expect(manual.state.releases.get("0.2.0")?.note).toBe(
      "chain main halted at height 50: waiting for `anode upgrade apply 0.2.0`",
    );
  });

  it("answers again that it runs the release (consensus asks until told), and ignores what it does not know", async () => {
    const h = harness({ releases: [release("0.2.0", "applied")], running: "0.2.0" });
    await onActivationDue(h.state, h.ctx, due("0.2.0"));
    expect(h.casts).toEqual([
      {
        to: { engine: "consensus@main" },
        msg: { type: "activated", version: "0.2.0", height: 50 },
      },
    ]);
    await onActivationDue(h.state, h.ctx, { ...due("0.2.0"), height: 49 });
    await onActivationDue(h.state, h.ctx, due("9.9.9"));
    expect(h.casts).toHaveLength(1);
    expect(h.warnings).toHaveLength(2);
  });

  it("a chain that went past the height on the old code takes the release as soon as it may, and says so", async () => {
    const passed = { ...due("0.2.0"), passed: 61 };
    const past =
      "chain main went past height 50 on the old code (it was at 61 when this node heard of the release)";
    const fetching = harness({ releases: [release("0.2.0", "fetching")] });
    await onActivationDue(fetching.state, fetching.ctx, passed);
    expect(fetching.state.releases.get("0.2.0")?.activationDue).toBe(true);
    expect(fetching.state.releases.get("0.2.0")?.note).toBe(
      `${past}: waiting for this release (fetching)`,
    );
    const manual = harness({ releases: [release("0.2.0", "verified")], policy: "manual" });
    await onActivationDue(manual.state, manual.ctx, passed);
    expect(manual.state.releases.get("0.2.0")?.note).toBe(
      `${past}: waiting for \`anode upgrade apply 0.2.0\``,
    );
    // Once it runs, there is nothing to tell consensus: it never paused for this one.
    const running = harness({ releases: [release("0.2.0", "applied")], running: "0.2.0" });
    await onActivationDue(running.state, running.ctx, passed);
    expect(running.casts).toEqual([]);
  });
});
