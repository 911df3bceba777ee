import { execFileSync } from "node:child_process";

/** Integration and end-to-end tests drive the bundled CLI, so build it once per run. */
export function setup(): void {
  execFileSync(process.execPath, ["build/bundle.mjs"], { stdio: "inherit" });
}
