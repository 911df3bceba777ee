import { decodeBase64 } from "./base64";
import { MAX_TRUSTED_KEYS } from "./limits";
import { ManifestError } from "./manifestError";

export interface TrustedKey {
  id: string;
  /** Base64 of the 32-byte ed25519 public key. */
  publicKey: string;
}

/** `k` of the `n` keys must sign a release (`build/trusted-keys.json` has this shape). */
export interface TrustedKeys {
  threshold: number;
  keys: TrustedKey[];
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Checks a trusted-key list read from a file or from config; throws MANIFEST_TRUST_INVALID. */
export function parseTrustedKeys(value: unknown): TrustedKeys {
  const bad = (reason: string) =>
    new ManifestError(
      { code: "MANIFEST_TRUST_INVALID", reason },
      `Cannot use the trusted keys: ${reason}`,
    );
  if (typeof value !== "object" || value === null) throw bad("not an object");
  const { threshold, keys } = value as { threshold?: unknown; keys?: unknown };
  if (!Array.isArray(keys) || keys.length === 0) throw bad("keys must be a non-empty array");
  if (keys.length > MAX_TRUSTED_KEYS) throw bad(`more than ${MAX_TRUSTED_KEYS} keys`);
  if (!Number.isSafeInteger(threshold) || (threshold as number) < 1) {
    throw bad("threshold must be a positive integer");
  }
  if ((threshold as number) > keys.length) {
    throw bad(`threshold ${threshold} is more than the ${keys.length} keys`);
  }
  const seen = new Set<string>();
  // By the decoded bytes: one key under two ids would count twice toward the threshold.
  const byBytes = new Map<string, { index: number; id: string }>();
  const parsed = keys.map((k: unknown, i) => {
    const { id, publicKey } = (k ?? {}) as { id?: unknown; publicKey?: unknown };
    if (typeof id !== "string" || !KEY_ID.test(id)) throw bad(`keys[${i}].id is not a key id`);
    if (seen.has(id)) throw bad(`key id ${id} appears twice`);
    seen.add(id);
    const bytes = typeof publicKey === "string" ? decodeBase64(publicKey) : undefined;
    if (typeof publicKey !== "string" || bytes?.length !== 32) {
      throw bad(`keys[${i}].publicKey is not a base64 ed25519 public key`);
    }
    const hex = Buffer.from(bytes).toString("hex");
    const first = byBytes.get(hex);
    if (first !== undefined) {
      throw bad(
        `keys[${i}].publicKey is the same key as keys[${first.index}] (${first.id}): one key may count only once toward the threshold`,
      );
    }
    byBytes.set(hex, { index: i, id });
    return { id, publicKey };
  });
  return { threshold: threshold as number, keys: parsed };
}
