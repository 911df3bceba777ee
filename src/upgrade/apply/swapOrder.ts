/**
 * Dependency order of the node's engines: an engine comes after the ones it calls, so
 * the lower layers run their new code before anything that uses them does. Engines not
 * listed (added by a later release) follow in name order.
 */
export const SWAP_ORDER = [
  "storage",
  "logger",
  "ordering",
  "executor",
  "mempool",
  "router",
  "transport",
  "consensus",
  "api",
] as const;

export interface EngineVersion {
  name: string;
  version: string;
}

/**
 * The engines to swap, in order: those running now whose module version differs in the
 * new bundle. `exclude` names engines that cannot swap in place (the upgrade engine
 * itself, which is running the swap).
 */
export function planSwap(
  running: readonly EngineVersion[],
  next: Readonly<Record<string, { version: string } | undefined>>,
  exclude: readonly string[] = [],
): EngineVersion[] {
  const rank = (name: string) => {
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
