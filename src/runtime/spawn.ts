import { Engine } from "./engine";
import type { EngineModule } from "./engineModule";
import type { Registry } from "./registry";
import type { Mailer, RuntimeLogger } from "./types";

export interface SpawnOptions {
  registry: Registry;
  /** How the engine reaches others; the node passes its router, tests the registry. */
  mailer?: Mailer;
  log?: RuntimeLogger;
  name?: string;
}

/** Starts an engine and registers it by name, so others can address it. */
export async function spawn<S, A>(
  mod: EngineModule<S, A>,
  args: A,
  opts: SpawnOptions,
): Promise<Engine<S>> {
  const engine = await Engine.start(mod, args, {
    name: opts.name ?? mod.name,
    mailer: opts.mailer ?? opts.registry,
    ...(opts.log ? { log: opts.log } : {}),
  });
  opts.registry.register(engine as Engine<unknown>);
  return engine;
}
