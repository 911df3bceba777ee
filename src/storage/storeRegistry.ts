import type { Database } from "./database";

/**
 * Databases with an open VersionedStore. Height and root live in the store's memory, so
 * a second store (or a snapshot import) on the same database would silently diverge.
 */
const inUse = new WeakSet<Database>();

/** Returns false when a store already holds `db`. */
export function claimDatabase(db: Database): boolean {
  if (inUse.has(db)) return false;
  inUse.add(db);
  return true;
}

export function releaseDatabase(db: Database): void {
  inUse.delete(db);
}

export function hasOpenStore(db: Database): boolean {
  return inUse.has(db);
}
