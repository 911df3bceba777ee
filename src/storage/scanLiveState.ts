import type { Database } from "./database";
import { decodeDataKey, sameKey } from "./dataKey";
import { decodeVersion } from "./versionValue";

export interface LiveEntry {
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * The live state at `at`, in key order: for each key the newest version at or below
 * `at`, skipping tombstones. One iterator reads one LevelDB snapshot, so a concurrent
 * commit or expunge cannot tear the result.
 */
export async function* scanLiveState(db: Database, at: number): AsyncGenerator<LiveEntry> {
  let key: Uint8Array | undefined;
  let newest: Uint8Array | undefined;
  for await (const [raw, stored] of db.entries("data")) {
    const version = decodeDataKey(raw);
    if (key === undefined || !sameKey(key, version.key)) {
      if (key !== undefined && newest !== undefined) yield { key, value: newest };
      key = version.key;
      newest = undefined;
    }
    // Versions of one key ascend by height, so the last one at or below `at` wins.
    if (version.height <= at) newest = decodeVersion(stored);
  }
  if (key !== undefined && newest !== undefined) yield { key, value: newest };
}
