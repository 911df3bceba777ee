import { createHash } from "node:crypto";

/**
 * What the perRelease fixture's code answers for its app version; the months-of-life
 * test computes the same from the version it expects to run.
 */
export function probeOf(appVersion: string): string {
  return createHash("sha256").update(`anode-fixture:${appVersion}`).digest("hex").slice(0, 16);
}
