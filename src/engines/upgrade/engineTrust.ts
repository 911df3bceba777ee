import { type ResolvedTrust, resolveTrust } from "../../boot";
import type { UpgradeArgs } from "./upgradeTypes";

/** No keys at all (run from source without boot): every release is refused. */
const NO_KEYS = { threshold: 1, keys: [] };

/**
 * The release keys the engine verifies with, and where they came from. Under boot these
 * are boot's own, resolved by the same function before any installed bundle was trusted,
 * so the two never disagree. Without boot's word on the source (run from source, or a
 * binary older than it) the engine resolves them itself, by the same rules, from the
 * environment and its options' `upgrade.trustedKeys` over the keys the host gave.
 */
export function engineTrust(
  args: Pick<UpgradeArgs, "options" | "compiledTrust" | "boot">,
  env: NodeJS.ProcessEnv,
): ResolvedTrust {
  const fromBoot = args.boot?.trust;
  if (fromBoot !== undefined && args.compiledTrust !== undefined) {
    return { keys: args.compiledTrust, source: fromBoot.source };
  }
  return resolveTrust(args.compiledTrust ?? NO_KEYS, {
    env,
    config: { path: "upgrade.trustedKeys", trustedKeys: args.options.trustedKeys },
  });
}
