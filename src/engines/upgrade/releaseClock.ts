import type { UpgradeEngineState } from "./upgradeTypes";

/**
 * A test and operations hook: milliseconds added to the clock against which the upgrade
 * engine judges release timestamps (a manifest's expiry, a staged rollout's turn). The
 * months-of-life test runs real node processes weeks and months ahead with it.
 *
 * It moves time forward only, so it makes a node stricter about expiry: a manifest
 * expires sooner, never later, and nothing already expired becomes acceptable. The one
 * bound it widens is MAX_CLOCK_SKEW_MS (a `createdAt` ahead of the clock), by exactly the
 * offset the operator set, which is what the months test needs of it. Signatures,
 * versions and bad marks do not depend on time, boot does not read it, and nothing else
 * in the node (blocks, timeouts, health windows) sees it.
 */
export const CLOCK_OFFSET_ENV = "ANODE_CLOCK_OFFSET_MS";

/** The offset in the environment; anything but a whole number of milliseconds >= 0 is refused. */
export function parseClockOffset(raw: string | undefined): { offsetMs: number; problem?: string } {
  if (raw === undefined || raw === "") return { offsetMs: 0 };
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    return {
      offsetMs: 0,
      problem: `${CLOCK_OFFSET_ENV}=${raw} ignored: it must be a whole number of milliseconds, 0 or more (the clock may only move forward)`,
    };
  }
  return { offsetMs: Number(raw) };
}

/** Now, as release timestamps are judged (see CLOCK_OFFSET_ENV). */
export function releaseNow(state: UpgradeEngineState): number {
  return Date.now() + (state.args.clockOffsetMs ?? 0);
}
