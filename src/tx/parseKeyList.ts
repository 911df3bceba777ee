import { fieldPath } from "./fieldPath";
import { parseKey } from "./parseKey";
import { malformed, tooMany } from "./txError";
import type { ResolvedTxLimits } from "./txLimits";

/** The count is checked before any entry, so a hostile list costs nothing to reject. */
export function parseKeyList(input: unknown, path: string, limits: ResolvedTxLimits): string[] {
  if (!Array.isArray(input)) throw malformed(path, "must be an array");
  if (input.length > limits.maxKeys) throw tooMany(path, input.length, limits.maxKeys);
  return input.map((key, i) => parseKey(key, fieldPath(path, i), limits.maxKeyBytes));
}
