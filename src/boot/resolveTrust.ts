import { parseTrustedKeys, type TrustedKeys } from "../upgrade/manifest";

/** Environment variable holding a trusted-keys JSON object, like `upgrade.trustedKeys`. */
export const TRUSTED_KEYS_ENV = "ANODE_UPGRADE_TRUSTED_KEYS";

/**
 * The release keys this invocation trusts: `upgrade.trustedKeys` from the environment or
 * the config file (a private network's own keys) replaces the compiled-in ones, as the
 * app's upgrade engine does, so boot and engine never disagree about an installed
 * bundle. A malformed override is an error, never a silent fall back to other keys.
 */
export function resolveTrust(
  compiled: TrustedKeys,
  o: { env: NodeJS.ProcessEnv; configText: string | undefined },
): TrustedKeys {
  const fromEnv = o.env[TRUSTED_KEYS_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return parseTrustedKeys(JSON.parse(fromEnv));
  if (o.configText === undefined) return compiled;
  let v: unknown;
  try {
    v = JSON.parse(o.configText);
  } catch {
    return compiled; // The app reports a malformed config file with its path.
  }
  const keys = (v as { upgrade?: { trustedKeys?: unknown } } | null)?.upgrade?.trustedKeys;
  return keys === undefined ? compiled : parseTrustedKeys(keys);
}
