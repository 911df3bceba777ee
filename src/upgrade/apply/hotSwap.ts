import type { AnyEngineModule } from "../../runtime";
import { UpgradeError } from "../upgradeError";

/** The part of a running engine a code swap uses (the runtime's Engine has it). */
export interface SwappableEngine {
  readonly name: string;
  readonly version: string;
  readonly module: AnyEngineModule;
  suspend(): Promise<void>;
  changeCode(next: AnyEngineModule, extra?: unknown): Promise<void>;
  revertCode(): void;
  resume(): void;
}

export interface EngineTable {
  lookup(name: string): SwappableEngine | undefined;
}

export interface SwapRecord {
  name: string;
  from: string;
  to: string;
  /** The module that ran before, for a rollback in this process. */
  previous: AnyEngineModule;
  /** The module swapped in, to check later that a restart did not replace it. */
  next: AnyEngineModule;
}

/**
 * Erlang's release handler in one transaction: suspend every engine to change (in
 * dependency order; each finishes its current message, then queues), run each new
 * module's codeChange on its state, then resume them all. If any step fails, every
 * engine goes back to exactly its old module and state before any resumes, so no message
 * is ever handled by a mix of old and new engines. Queued messages are kept throughout.
 */
export async function hotSwap(
  table: EngineTable,
  plan: ReadonlyArray<{ name: string }>,
  modules: Readonly<Record<string, AnyEngineModule | undefined>>,
  o: { version: string; extra?: unknown },
): Promise<SwapRecord[]> {
  const suspended: SwappableEngine[] = [];
  const records: SwapRecord[] = [];
  const undo = () => {
    for (const e of suspended) e.revertCode();
    for (const e of suspended) e.resume();
  };
  try {
    for (const { name } of plan) {
      const engine = table.lookup(name);
      if (engine === undefined) throw new Error(`engine ${name} is not running`);
      await engine.suspend();
      suspended.push(engine);
    }
    for (const engine of suspended) {
      const next = modules[engine.name];
      if (next === undefined) throw new Error(`the bundle has no module for ${engine.name}`);
      const record = {
        name: engine.name,
        from: engine.version,
        to: next.version,
        previous: engine.module,
        next,
      };
      await engine.changeCode(next, o.extra);
      records.push(record);
    }
  } catch (err) {
    undo();
    const reason = err instanceof Error ? err.message : String(err);
    throw new UpgradeError(
      { code: "UPGRADE_SWAP_FAILED", version: o.version, reason },
      `Cannot apply release ${o.version}: ${reason}; every engine is back on its old code`,
      { cause: err },
    );
  }
  for (const e of suspended) e.resume();
  return records;
}
