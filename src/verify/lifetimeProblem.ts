import { MAX_MANIFEST_LIFETIME_MS } from "./limits";
import type { ReleaseManifest } from "./releaseManifest";

/**
 * Why a manifest lives too long to be accepted (a stolen signing session must not mint a
 * release that stays acceptable for ever), or undefined. A rule for accepting a release,
 * like expiry, never for booting one a node already accepted: a release signed for longer
 * under an older limit keeps running.
 */
export function lifetimeProblem(
  m: Pick<ReleaseManifest, "createdAt" | "expiresAt">,
): string | undefined {
  const lifetime = Date.parse(m.expiresAt) - Date.parse(m.createdAt);
  if (lifetime <= MAX_MANIFEST_LIFETIME_MS) return undefined;
  return `it expires ${Math.ceil(lifetime / 86_400_000)} days after it was created (${m.createdAt} to ${m.expiresAt}), over the ${MAX_MANIFEST_LIFETIME_MS / 86_400_000}-day limit`;
}
