import type { AnyEngineModule, ModuleSwapRecord, ModuleTable } from "../../runtime";
import { UpgradeError } from "../upgradeError";

/** The part of the runtime's module table a release swap uses. */
export type SwapTable = Pick<
  ModuleTable,
  "upgrade" | "restart" | "versions" | "module" | "instances"
>;

export type SwapRecord = ModuleSwapRecord;

/**
 * Swaps a release's changed modules in one all-or-nothing transaction on the runtime's
 * module table (see ModuleTable.upgrade): every engine running a planned module, on
 * every chain, changes; the table then starts any restarted engine on the new code.
 * `self` is the calling engine's name when the plan includes its own module.
 */
export async function hotSwap(
  table: SwapTable,
  plan: ReadonlyArray<{ name: string; scope?: string | undefined }>,
  modules: Readonly<Record<string, AnyEngineModule | undefined>>,
  o: { version: string; extra?: unknown; self?: string; onSelfFailed?: (err: unknown) => void },
): Promise<SwapRecord[]> {
  try {
    const changes = plan.map(({ name, scope }) => {
      const module = modules[name];
      if (module === undefined) throw new Error(`the bundle has no module for ${name}`);
      return { name, module, ...(scope !== undefined ? { scope } : {}) };
    });
    return await table.upgrade(changes, {
      extra: o.extra,
      ...(o.self !== undefined ? { self: o.self } : {}),
      ...(o.onSelfFailed ? { onSelfFailed: o.onSelfFailed } : {}),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UpgradeError(
      { code: "UPGRADE_SWAP_FAILED", version: o.version, reason },
      `Cannot apply release ${o.version}: ${reason}; every engine is back on its old code`,
      { cause: err },
    );
  }
}

/** Whether every engine of a swapped module still runs the module swapped in. */
export function stillRunning(table: SwapTable, record: SwapRecord): boolean {
  if (table.module(record.name, record.scope) !== record.next) return false;
  return table.instances(record.name, record.scope).every((e) => e.module === record.next);
}
