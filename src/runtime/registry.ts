import { DEFAULT_CALL_TIMEOUT_MS, type Engine } from "./engine";
import type { AnyEngineModule } from "./engineModule";
import { RuntimeError } from "./runtimeError";
import type { Address, Mailer } from "./types";

/** Registered engines by name, and local delivery of messages to them. */
export class Registry implements Mailer {
  private readonly engines = new Map<string, Engine<unknown>>();

  /** Registers `engine` under its name until it exits. A live holder of the name wins. */
  register(engine: Engine<unknown>): void {
    const holder = this.engines.get(engine.name);
    if (holder && holder !== engine && holder.status !== "exited") {
      throw new RuntimeError(
        { code: "NAME_TAKEN", engine: engine.name },
        `Cannot register ${engine.name}: the name is taken by a running engine`,
      );
    }
    this.engines.set(engine.name, engine);
    engine.onExit(() => {
      if (this.engines.get(engine.name) === engine) this.engines.delete(engine.name);
    });
  }

  lookup(name: string): Engine<unknown> | undefined {
    return this.engines.get(name);
  }

  /** Like lookup, but a missing engine is an error naming it. */
  get(name: string): Engine<unknown> {
    const engine = this.engines.get(name);
    if (!engine) {
      throw new RuntimeError(
        { code: "NO_SUCH_ENGINE", engine: name },
        `Cannot reach engine ${name}: it is not running`,
      );
    }
    return engine;
  }

  names(): string[] {
    return [...this.engines.keys()].sort();
  }

  /** Name and module version of every registered engine, for status and upgrades. */
  versions(): Array<{
    name: string;
    module: AnyEngineModule;
    version: string;
    status: string;
    mailbox: number;
  }> {
    return this.names().map((name) => {
      const e = this.engines.get(name) as Engine<unknown>;
      return {
        name,
        module: e.module,
        version: e.version,
        status: e.status,
        mailbox: e.mailboxSize,
      };
    });
  }

  call(to: Address, msg: unknown, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<unknown> {
    const engine = this.engines.get(to.engine);
    if (!engine) {
      return Promise.reject(
        new RuntimeError(
          { code: "NO_SUCH_ENGINE", engine: to.engine },
          `Cannot call ${to.engine}: it is not running`,
        ),
      );
    }
    return engine.call(msg, timeoutMs);
  }

  cast(to: Address, msg: unknown): void {
    this.engines.get(to.engine)?.cast(msg);
  }

  send(to: Address, msg: unknown): void {
    this.engines.get(to.engine)?.info(msg);
  }
}
