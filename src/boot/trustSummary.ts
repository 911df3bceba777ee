import type { ResolvedTrust, TrustSource } from "./resolveTrust";

/** What `status`, `upgrade status` and their `--json` say about the release keys in use. */
export interface TrustSummary {
  source: TrustSource;
  threshold: number;
  /** Key ids only: the keys are public, but ids are what an operator compares. */
  keys: string[];
}

export function trustSummary(t: ResolvedTrust): TrustSummary {
  return { source: t.source, threshold: t.keys.threshold, keys: t.keys.keys.map((k) => k.id) };
}

/** "compiled in (2 of 3: a, b, c)" or "overridden by env ANODE_UPGRADE_TRUSTED_KEYS (1 of 1: x)". */
export function describeTrust(s: TrustSummary): string {
  // Run from source without boot, and without upgrade.trustedKeys.
  if (s.keys.length === 0) return "none, every release is refused";
  const keys = `(${s.threshold} of ${s.keys.length}: ${s.keys.join(", ")})`;
  return s.source === "compiled"
    ? `compiled in ${keys}`
    : `overridden by ${describeTrustSource(s.source)} ${keys}`;
}

export function describeTrustSource(source: TrustSource): string {
  if (source === "compiled") return "the compiled-in keys";
  return source.kind === "env" ? `env ${source.name}` : `config ${source.path}`;
}
