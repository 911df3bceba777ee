import type { TrustedKeys } from "../verify";
import { BootError } from "./bootError";
import { checkTrustFile } from "./checkTrustFile";
import { hasFlag, type ResolveDataDirOptions, resolveConfigFile } from "./resolveDataDir";
import { configTrustedKeys, type ResolvedTrust, resolveTrust } from "./resolveTrust";

export interface BootTrustOptions {
  /** Why a config file is unsafe to take keys from (checkTrustFile); injected by tests. */
  check?: (path: string) => string | undefined;
}

/**
 * The release keys boot verifies installed bundles with (and hands the app), read from
 * the environment and the config file the app will read. A system service (`--system`)
 * runs as an account that must not choose its own release keys: an override from a
 * config file anyone but root can write is refused, before any installed bundle is
 * trusted with it. On Windows the installer's layout keeps the config out of the service
 * account's reach instead. An override from the environment comes from the service
 * definition, which only root or Administrators write; it stands, and is logged.
 */
export function bootTrust(
  where: ResolveDataDirOptions,
  compiled: TrustedKeys,
  o: BootTrustOptions = {},
): ResolvedTrust {
  const path = resolveConfigFile(where);
  const trustedKeys = configTrustedKeys(where.readFile(path));
  const trust = resolveTrust(compiled, { env: where.env, config: { path, trustedKeys } });
  const fromConfig = trust.source !== "compiled" && trust.source.kind === "config";
  if (fromConfig && hasFlag(where.argv, "--system") && where.platform !== "win32") {
    const problem = (o.check ?? checkTrustFile)(path);
    if (problem !== undefined) {
      throw new BootError(
        { code: "BOOT_TRUST_UNSAFE", path, reason: problem },
        `Cannot trust the release keys in ${path} (upgrade.trustedKeys) for a system service: ${problem}`,
      );
    }
  }
  return trust;
}
