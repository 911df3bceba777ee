/**
 * Dependency order of the node's modules: a module comes after the ones it calls, so
 * the lower layers run their new code before anything that uses them does. Modules not
 * listed (added by a later release) follow in name order; the upgrade engine, which runs
 * the swap, always changes last (right after the message that swaps).
 */
export const SWAP_ORDER = [
  "broker",
  "filters.registry",
  "filter",
  "storage",
  "logger",
  "ordering",
  "worker",
  "executor",
  "mempool",
  "router",
  "transport",
  "consensus",
  "api",
] as const;

const LAST = "upgrade";

export interface EngineVersion {
  name: string;
  version: string;
}

/**
 * The modules to swap, in order: those in the table whose version differs in the new
 * bundle. `exclude` names modules to leave as they are.
 */
export function planSwap(
  running: readonly EngineVersion[],
  next: Readonly<Record<string, { version: string } | undefined>>,
  exclude: readonly string[] = [],
): EngineVersion[] {
  const rank = (name: string) => {
    if (name === LAST) return SWAP_ORDER.length + 1;
    const i = (SWAP_ORDER as readonly string[]).indexOf(name);
    return i === -1 ? SWAP_ORDER.length : i;
  };
  return running
    .filter((e) => !exclude.includes(e.name))
    .filter((e) => {
      const m = next[e.name];
      return m !== undefined && m.version !== e.version;
    })
    .map((e) => ({ name: e.name, version: (next[e.name] as { version: string }).version }))
    .sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1));
}

/**
 * Modules whose engines belong to one chain and decide its state: a release activated
 * at a height of a chain changes these for that chain only (the rest of the node's
 * modules change for the whole node at the same moment).
 */
export const CHAIN_MODULES: readonly string[] = [
  "storage",
  "ordering",
  "worker",
  "executor",
  "mempool",
  "consensus",
];
