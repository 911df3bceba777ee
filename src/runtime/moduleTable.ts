import { Engine, type EngineOptions, errorMessage } from "./engine";
import type { AnyEngineModule } from "./engineModule";
import type { Registry } from "./registry";
import { RuntimeError } from "./runtimeError";

export interface TableStartOptions extends EngineOptions {
  /** Registers the engine by its name here, so others can address it; also its mailer if none is given. */
  registry?: Registry;
}

/** One module to change in an upgrade: the new code for every engine running `name`. */
export interface ModuleChange {
  name: string;
  module: AnyEngineModule;
}

export interface ModuleSwapRecord {
  name: string;
  from: string;
  to: string;
  previous: AnyEngineModule;
  next: AnyEngineModule;
  /** Registered names of the engines that were running the module and changed. */
  engines: string[];
}

/**
 * The module each engine name runs, like the BEAM's code server: every engine starts
 * from the table's *current* module, so a supervisor restarting a child after an upgrade
 * starts the new code, and an upgrade reaches every engine running a module (the
 * executors of every chain, each worker, each filter agent) at once.
 */
export class ModuleTable {
  private readonly current = new Map<string, AnyEngineModule>();
  private readonly running = new Map<string, Set<Engine<unknown>>>();
  /** Upgrades run one after another; the first starts at once (its suspends included). */
  private upgrading: Promise<unknown> | undefined;

  constructor(modules: Iterable<AnyEngineModule> = []) {
    for (const m of modules) this.current.set(m.name, m);
  }

  /** Adds modules that are not in the table yet; a module already there keeps its code. */
  provide(modules: Iterable<AnyEngineModule>): void {
    for (const m of modules) if (!this.current.has(m.name)) this.current.set(m.name, m);
  }

  has(name: string): boolean {
    return this.current.has(name);
  }

  module(name: string): AnyEngineModule {
    const mod = this.current.get(name);
    if (mod === undefined) {
      throw new RuntimeError(
        { code: "NO_SUCH_MODULE", module: name },
        `Cannot start an engine of module ${name}: the module table has no such module`,
      );
    }
    return mod;
  }

  /** Name and current version of every module, in name order. */
  versions(): Array<{ name: string; version: string }> {
    return [...this.current.values()]
      .map((m) => ({ name: m.name, version: m.version }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Engines running module `name` now. */
  instances(name: string): Engine<unknown>[] {
    return [...(this.running.get(name) ?? [])].filter((e) => e.status !== "exited");
  }

  /**
   * Starts an engine on the current module `name` and tracks it until it exits. An
   * upgrade that lands while its init runs is applied to it before it takes a message,
   * so no engine comes up on code the table has replaced. (It does not wait for the
   * upgrade to finish: the engine being suspended may be the one waiting for this start.)
   */
  async start(name: string, args: unknown, opts: TableStartOptions = {}): Promise<Engine<unknown>> {
    const { registry, ...engineOpts } = opts;
    const mailer = engineOpts.mailer ?? registry;
    const engine = await Engine.start(this.module(name), args, {
      ...engineOpts,
      ...(mailer ? { mailer } : {}),
    });
    const set = this.running.get(name) ?? new Set();
    this.running.set(name, set);
    set.add(engine);
    engine.onExit(() => set.delete(engine));
    const now = this.module(name);
    if (engine.module !== now) {
      await engine.suspend();
      try {
        await engine.changeCode(now);
      } catch (err) {
        await engine.stop({ error: err });
        throw err;
      } finally {
        engine.resume();
      }
    }
    registry?.register(engine);
    return engine;
  }

  /**
   * Erlang's release handler in one transaction. Suspends every engine running a module
   * to change (in the order given: each finishes its current message, then queues), runs
   * each new module's codeChange on its state, installs the new modules in the table and
   * resumes them all. If any step fails, every engine and the table go back to exactly
   * their old modules and state before any resumes, so no message is handled by a mix of
   * old and new code. Queued messages are kept throughout.
   *
   * `self` names the calling engine when the upgrade runs inside one of its handlers (the
   * upgrade engine upgrading itself): it cannot wait for itself to go idle, so it changes
   * last, right after the message in flight, and `onSelfFailed` hears if its codeChange
   * then throws (it stays on its old code, and so does the table's entry for it).
   */
  upgrade(
    changes: readonly ModuleChange[],
    o: { extra?: unknown; self?: string; onSelfFailed?: (err: unknown) => void } = {},
  ): Promise<ModuleSwapRecord[]> {
    const before = this.upgrading;
    const run = before
      ? before.catch(() => undefined).then(() => this.transaction(changes, o))
      : this.transaction(changes, o);
    this.upgrading = run;
    const clear = () => {
      if (this.upgrading === run) this.upgrading = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  private async transaction(
    changes: readonly ModuleChange[],
    o: { extra?: unknown; self?: string; onSelfFailed?: (err: unknown) => void },
  ): Promise<ModuleSwapRecord[]> {
    const suspended: Engine<unknown>[] = [];
    const records: ModuleSwapRecord[] = [];
    const undo = () => {
      for (const r of records) this.current.set(r.name, r.previous);
      for (const e of suspended) e.revertCode();
      for (const e of suspended) e.resume();
    };
    const groups = changes.map((c) => ({
      change: c,
      previous: this.module(c.name),
      engines: this.instances(c.name).filter((e) => e.name !== o.self),
      own: this.instances(c.name).find((e) => e.name === o.self),
    }));
    try {
      for (const g of groups) {
        for (const e of g.engines) {
          await e.suspend();
          suspended.push(e);
        }
      }
      for (const { change, previous, engines, own } of groups) {
        records.push({
          name: change.name,
          from: previous.version,
          to: change.module.version,
          previous,
          next: change.module,
          engines: [...engines, ...(own ? [own] : [])].map((e) => e.name),
        });
        this.current.set(change.name, change.module);
        for (const e of engines) await e.changeCode(change.module, o.extra);
      }
    } catch (err) {
      undo();
      throw new RuntimeError(
        { code: "UPGRADE_FAILED", reason: errorMessage(err) },
        `Cannot upgrade: ${errorMessage(err)}`,
        { cause: err },
      );
    }
    for (const e of suspended) e.resume();
    for (const { change, previous, own } of groups) {
      if (own === undefined) continue;
      own.changeCodeAfterMessage(change.module, o.extra, (err) => {
        if (this.current.get(change.name) === change.module)
          this.current.set(change.name, previous);
        o.onSelfFailed?.(err);
      });
    }
    return records;
  }
}
