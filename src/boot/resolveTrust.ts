import { parseTrustedKeys, type TrustedKeys } from "../verify";

/** Environment variable holding a trusted-keys JSON object, like `upgrade.trustedKeys`. */
export const TRUSTED_KEYS_ENV = "ANODE_UPGRADE_TRUSTED_KEYS";

/** Where the release keys a process trusts came from; anything but "compiled" is an override. */
export type TrustSource =
  | "compiled"
  | { kind: "config"; path: string }
  | { kind: "env"; name: string };

export interface ResolvedTrust {
  keys: TrustedKeys;
  source: TrustSource;
}

export interface ResolveTrustOptions {
  env: NodeJS.ProcessEnv;
  /** The config file and its `upgrade.trustedKeys` (see configTrustedKeys), if it has one. */
  config?: { path: string; trustedKeys: unknown } | undefined;
}

/**
 * The release keys this invocation trusts and where they came from: `upgrade.trustedKeys`
 * from the environment or the config file (a private network's own keys) replaces the
 * compiled-in ones. Boot and the upgrade engine both resolve through here, so they never
 * disagree about an installed bundle. A malformed override is an error, never a silent
 * fall back to other keys.
 */
export function resolveTrust(compiled: TrustedKeys, o: ResolveTrustOptions): ResolvedTrust {
  const fromEnv = o.env[TRUSTED_KEYS_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    return {
      keys: parseTrustedKeys(JSON.parse(fromEnv)),
      source: { kind: "env", name: TRUSTED_KEYS_ENV },
    };
  }
  const fromConfig = o.config?.trustedKeys;
  if (o.config === undefined || fromConfig === undefined)
    return { keys: compiled, source: "compiled" };
  return { keys: parseTrustedKeys(fromConfig), source: { kind: "config", path: o.config.path } };
}

/** A config file's `upgrade.trustedKeys`, or undefined when the file has none or is not JSON. */
export function configTrustedKeys(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined; // The app reports a malformed config file with its path.
  }
  return (v as { upgrade?: { trustedKeys?: unknown } } | null)?.upgrade?.trustedKeys;
}
