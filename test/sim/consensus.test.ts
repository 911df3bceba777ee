import { describe, expect, it } from "vitest";
import { drawScenario } from "./consensusScenario";
import { runConsensusSim, type SimResult } from "./consensusSim";

/**
 * Seeds run by the suite; CONSENSUS_SEED=<n> replays one, CONSENSUS_RUNS=<n> and
 * CONSENSUS_CRASH_RUNS=<n> run more (`npm run sim:consensus`).
 */
const RUNS = Number(process.env.CONSENSUS_RUNS ?? 1000);
const CRASH_RUNS = Number(process.env.CONSENSUS_CRASH_RUNS ?? 300);
const FIRST_SEED = 1;
const replay = process.env.CONSENSUS_SEED;
const seedsOf = (runs: number) =>
  replay === undefined ? Array.from({ length: runs }, (_, i) => FIRST_SEED + i) : [Number(replay)];
const seeds = seedsOf(RUNS);
const crashSeeds = seedsOf(CRASH_RUNS);
/** Real ed25519 signatures cost ~150 µs a verification, so a smaller sample uses them. */
const ED25519_RUNS = 25;
/** Seeds the self-check may try before concluding the simulator cannot see a broken lock. */
const SELF_CHECK_MAX_SEEDS = 1000;
/** Runs with a crash at every lock (the moment a forgotten lock is unsafe). */
const LOCK_CRASH_RUNS = Number(process.env.CONSENSUS_CRASH_RUNS ?? 200);
/** A run takes under 10 ms here; larger runs get the time they need. */
const SIM_TIMEOUT_MS = Math.max(120_000, 20 * Math.max(RUNS, CRASH_RUNS));

function failure(r: SimResult): string | undefined {
  if (r.violations.length === 0 && r.stalled === undefined) return undefined;
  const what =
    r.violations.length > 0 ? `SAFETY: ${r.violations.join("; ")}` : `LIVENESS: ${r.stalled}`;
  return `seed ${r.seed} failed (replay with CONSENSUS_SEED=${r.seed}): ${what}`;
}

describe("consensus simulation", () => {
  it(`is safe in every run and live once the network heals (${seeds.length} seeded runs)`, {
    timeout: SIM_TIMEOUT_MS,
  }, () => {
    const started = performance.now();
    const failures: string[] = [];
    let worstRecovery = 0;
    let evidence = 0;
    for (const seed of seeds) {
      const result = runConsensusSim(drawScenario(seed));
      const failed = failure(result);
      if (failed !== undefined) failures.push(failed);
      worstRecovery = Math.max(worstRecovery, result.recoveryMs);
      evidence += result.evidence;
    }
    console.log(
      `consensus sim: ${seeds.length} runs, ${Math.round(performance.now() - started)} ms wall, ` +
        `worst recovery after heal ${Math.round(worstRecovery)} virtual ms, ${evidence} equivocations reported`,
    );
    expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
    expect(evidence).toBeGreaterThan(0);
  });

  it("is safe and live with real ed25519 signatures", { timeout: SIM_TIMEOUT_MS }, () => {
    const failures = seeds
      .slice(0, ED25519_RUNS)
      .map((seed) => failure(runConsensusSim(drawScenario(seed), { crypto: "ed25519" })))
      .filter((f) => f !== undefined);
    expect(failures, failures.join("\n")).toEqual([]);
  });

  it("repeats a run exactly from its seed", () => {
    const scenario = drawScenario(42);
    expect(runConsensusSim(scenario)).toEqual(runConsensusSim(scenario));
    expect(runConsensusSim(drawScenario(43)).events).not.toBe(runConsensusSim(scenario).events);
  });

  it("self-check: with locks and valid values forgotten, some seed breaks safety", {
    timeout: SIM_TIMEOUT_MS,
  }, () => {
    // Not vacuous: the same checks that pass above must fail on a known-unsafe variant.
    let found: SimResult | undefined;
    for (
      let seed = FIRST_SEED;
      seed < FIRST_SEED + SELF_CHECK_MAX_SEEDS && found === undefined;
      seed += 1
    ) {
      const result = runConsensusSim(drawScenario(seed), { breakLocks: true });
      if (result.violations.length > 0) found = result;
    }
    expect(found, "no seed produced a violation with broken locks").toBeDefined();
    const seed = (found as SimResult).seed;
    console.log(
      `consensus sim self-check: seed ${seed} breaks safety without locks: ${found?.violations[0]}`,
    );
    expect(runConsensusSim(drawScenario(seed), { breakLocks: true }).violations).toEqual(
      found?.violations,
    );
    // ...and the same seed is safe with the real algorithm
    expect(runConsensusSim(drawScenario(seed)).violations).toEqual([]);
  });

  describe("with validator crash-restarts (each back from its write-ahead record)", () => {
    it(`is safe in every run and live once the network heals (${crashSeeds.length} seeded runs)`, {
      timeout: SIM_TIMEOUT_MS,
    }, () => {
      const started = performance.now();
      const failures: string[] = [];
      let crashes = 0;
      let restored = 0;
      for (const seed of crashSeeds) {
        const result = runConsensusSim(drawScenario(seed), { crashes: true });
        const failed = failure(result);
        if (failed !== undefined) failures.push(failed);
        crashes += result.crashes;
        restored += result.restored;
      }
      console.log(
        `consensus sim with crashes: ${crashSeeds.length} runs, ${crashes} crashes, ${restored} restarts ` +
          `restored from the record, ${Math.round(performance.now() - started)} ms wall`,
      );
      expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
      expect(restored).toBeGreaterThan(crashSeeds.length);
    });

    it("is safe and live with a crash right after every lock (a precommit for a value)", {
      timeout: SIM_TIMEOUT_MS,
    }, () => {
      const failures = crashSeeds
        .slice(0, LOCK_CRASH_RUNS)
        .map((seed) => failure(runConsensusSim(drawScenario(seed), { crashes: { afterLock: 1 } })))
        .filter((f) => f !== undefined);
      expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
    });

    it("repeats a run with crashes exactly from its seed", () => {
      const scenario = drawScenario(42);
      const run = () => runConsensusSim(scenario, { crashes: true });
      expect(run()).toEqual(run());
      expect(run().crashes).toBeGreaterThan(0);
    });

    it("self-check: restarted validators that forget the record's lock break agreement on some seed", {
      timeout: SIM_TIMEOUT_MS,
    }, () => {
      const options = { crashes: { afterLock: 1 }, forgetOnRestart: "lock" } as const;
      const found = firstViolation((seed) => runConsensusSim(drawScenario(seed), options));
      expect(found, "no seed broke agreement with the lock forgotten").toBeDefined();
      const seed = (found as SimResult).seed;
      console.log(
        `consensus sim self-check: seed ${seed} breaks safety when a restart forgets the lock: ${found?.violations[0]}`,
      );
      expect(found?.violations.join()).toMatch(/decided/);
      expect(runConsensusSim(drawScenario(seed), options).violations).toEqual(found?.violations);
      // ...and the same seed, crashes and all, is safe when the lock is restored
      const kept = runConsensusSim(drawScenario(seed), { crashes: { afterLock: 1 } });
      expect(kept.violations).toEqual([]);
    });

    it("self-check: restarted validators that forget the whole record sign twice at one position", () => {
      const found = firstViolation((seed) =>
        runConsensusSim(drawScenario(seed), { crashes: true, forgetOnRestart: "all" }),
      );
      expect(found?.violations.join()).toMatch(/signed two different/);
    });
  });
});

/** The first run, over up to SELF_CHECK_MAX_SEEDS seeds, with a safety violation. */
function firstViolation(run: (seed: number) => SimResult): SimResult | undefined {
  for (let seed = FIRST_SEED; seed < FIRST_SEED + SELF_CHECK_MAX_SEEDS; seed += 1) {
    const result = run(seed);
    if (result.violations.length > 0) return result;
  }
  return undefined;
}
