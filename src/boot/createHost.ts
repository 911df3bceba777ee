import type { ClassicLevel } from "classic-level";
import * as errors from "../errors";
import * as runtime from "../runtime";
import type { TrustedKeys } from "../verify";
import { type AppHost, type BootInfo, HOST_API_VERSION } from "./hostContract";

/**
 * The host object handed to the app. `Level` is loaded on first use: `anode --version`
 * and most commands never open a database, and loading the addon (extracting it, in a
 * packaged binary) is the slowest part of start-up.
 */
export function createHost(o: {
  version: string;
  trust: TrustedKeys;
  loadLevel: () => typeof ClassicLevel;
}): AppHost & { boot: BootInfo } {
  let Level: typeof ClassicLevel | undefined;
  const host = {
    hostApi: HOST_API_VERSION,
    version: o.version,
    runtime,
    errors,
    trust: o.trust,
    boot: undefined as unknown as BootInfo, // Set by boot once the app is chosen.
  } as AppHost;
  Object.defineProperty(host, "Level", {
    enumerable: true,
    get: () => {
      Level ??= o.loadLevel();
      return Level;
    },
  });
  return host;
}
