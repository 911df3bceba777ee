import { execFileSync } from "node:child_process";

/**
 * Integration and end-to-end tests drive the bundled CLI, so build it once per run.
 * ANODE_SKIP_BUILD=1 skips it for unit-only runs (then the bundle-driven tests fail).
 */
export function setup(): void {
  if (process.env.ANODE_SKIP_BUILD === "1") return;
  execFileSync(process.execPath, ["build/bundle.mjs"], { stdio: "inherit" });
}
