import { Engine, type EngineOptions, errorMessage } from "./engine";
import type { AnyEngineModule } from "./engineModule";
import type { Registry } from "./registry";
import { RuntimeError } from "./runtimeError";

export interface TableStartOptions extends EngineOptions {
  /** Registers the engine by its name here, so others can address it; also its mailer if none is given. */
  registry?: Registry;
  /**
   * The chain the engine belongs to. An upgrade activated at a height of one chain
   * changes that chain's engines only; the others keep their code until theirs.
   */
  scope?: string;
}

/**
 * One module to change in an upgrade: the new code for every engine running `name`, or,
 * with `scope`, only for those of that chain.
 */
export interface ModuleChange {
  name: string;
  module: AnyEngineModule;
  scope?: string;
}

export interface ModuleSwapRecord {
  name: string;
  scope?: string;
  from: string;
  to: string;
  previous: AnyEngineModule;
  next: AnyEngineModule;
  /** Registered names of the engines that were running the module and changed. */
  engines: string[];
}

interface Instance {
  engine: Engine<unknown>;
  scope: string | undefined;
}

const key = (name: string, scope: string | undefined) =>
  scope === undefined ? name : `${name}@${scope}`;

function swapRecord(
  change: ModuleChange,
  previous: AnyEngineModule,
  engines: readonly Engine<unknown>[],
): ModuleSwapRecord {
  return {
    name: change.name,
    ...(change.scope !== undefined ? { scope: change.scope } : {}),
    from: previous.version,
    to: change.module.version,
    previous,
    next: change.module,
    engines: engines.map((e) => e.name),
  };
}

/**
 * The module each engine name runs, like the BEAM's code server: every engine starts
 * from the table's *current* module, so a supervisor restarting a child after an upgrade
 * starts the new code, and an upgrade reaches every engine running a module (the
 * executors of every chain, each worker, each filter agent) at once. A chain may run
 * its own version of a module for a while (an upgrade activated at one chain's height).
 */
export class ModuleTable {
  /** By module name, and by `name@scope` for a chain that runs its own version. */
  private current = new Map<string, AnyEngineModule>();
  private readonly running = new Map<string, Set<Instance>>();
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

  /** The module an engine of `name` (in chain `scope`) starts from now. */
  module(name: string, scope?: string): AnyEngineModule {
    const mod = this.current.get(key(name, scope)) ?? this.current.get(name);
    if (mod === undefined) {
      throw new RuntimeError(
        { code: "NO_SUCH_MODULE", module: name },
        `Cannot start an engine of module ${name}: the module table has no such module`,
      );
    }
    return mod;
  }

  /** Name and current version (for chain `scope`) of every module, in name order. */
  versions(scope?: string): Array<{ name: string; version: string }> {
    return [...this.current.keys()]
      .filter((k) => !k.includes("@"))
      .sort()
      .map((name) => ({ name, version: this.module(name, scope).version }));
  }

  /** Engines running module `name` now (only chain `scope`'s, if given). */
  instances(name: string, scope?: string): Engine<unknown>[] {
    return [...(this.running.get(name) ?? [])]
      .filter((i) => i.engine.status !== "exited" && (scope === undefined || i.scope === scope))
      .map((i) => i.engine);
  }

  /**
   * Starts an engine on the current module `name` and tracks it until it exits. An
   * upgrade that lands while its init runs is applied to it before it takes a message,
   * so no engine comes up on code the table has replaced. (It does not wait for the
   * upgrade to finish: the engine being suspended may be the one waiting for this start.)
   */
  async start(name: string, args: unknown, opts: TableStartOptions = {}): Promise<Engine<unknown>> {
    const { registry, scope, ...engineOpts } = opts;
    const mailer = engineOpts.mailer ?? registry;
    const engine = await Engine.start(this.module(name, scope), args, {
      ...engineOpts,
      ...(mailer ? { mailer } : {}),
    });
    const set = this.running.get(name) ?? new Set();
    this.running.set(name, set);
    const instance = { engine, scope };
    set.add(instance);
    engine.onExit(() => set.delete(instance));
    const now = this.module(name, scope);
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
    const before = new Map(this.current);
    const suspended: Engine<unknown>[] = [];
    const undo = () => {
      this.current = before;
      for (const e of suspended) e.revertCode();
      for (const e of suspended) e.resume();
    };
    const groups = changes.map((c) => {
      const all = this.instances(c.name, c.scope);
      return {
        change: c,
        previous: this.module(c.name, c.scope),
        engines: all.filter((e) => e.name !== o.self),
        own: all.find((e) => e.name === o.self),
      };
    });
    const records = groups.map(({ change, previous, engines, own }) =>
      swapRecord(change, previous, [...engines, ...(own ? [own] : [])]),
    );
    try {
      for (const g of groups) {
        for (const e of g.engines) {
          await e.suspend();
          suspended.push(e);
        }
      }
      for (const { change, engines } of groups) {
        this.install(change);
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
        const k = key(change.name, change.scope);
        if (this.current.get(k) === change.module) this.current.set(k, previous);
        o.onSelfFailed?.(err);
      });
    }
    return records;
  }

  /**
   * OTP's `restart` instruction: installs the new modules, then ends every engine running
   * them, so that its supervisor starts it again from the table with its state rebuilt by
   * the new module's init (from disk and the event log). Nothing is converted in place;
   * the exit reason says why, so a supervisor restarts even a transient child.
   */
  restart(changes: readonly ModuleChange[]): ModuleSwapRecord[] {
    const records: ModuleSwapRecord[] = [];
    for (const change of changes) {
      const previous = this.module(change.name, change.scope);
      const engines = this.instances(change.name, change.scope);
      this.install(change);
      records.push(swapRecord(change, previous, engines));
      for (const e of engines) {
        const why = new RuntimeError(
          { code: "RESTARTED_FOR_UPGRADE", module: change.name, version: change.module.version },
          `${e.name} restarts on module ${change.name} ${change.module.version} (upgrade instruction)`,
        );
        void e.stop({ error: why });
      }
    }
    return records;
  }

  /** A chain's own version, or everyone's (which ends every chain's own version of it). */
  private install(change: ModuleChange): void {
    if (change.scope !== undefined) {
      this.current.set(key(change.name, change.scope), change.module);
      return;
    }
    for (const k of [...this.current.keys()]) {
      if (k.startsWith(`${change.name}@`)) this.current.delete(k);
    }
    this.current.set(change.name, change.module);
  }
}
