import * as verify from "../verify";
import { type AppHost, HOST_MODULES } from "./hostContract";

/**
 * The `require` an app bundle gets: the host's shared modules by their `anode:` ids and
 * Node's built-ins, nothing from disk. A bundle that reaches for anything else (a
 * native addon, a stray dependency) gets MODULE_NOT_FOUND, which optional imports such
 * as ws's `bufferutil` already expect.
 *
 * The verifier is this module's own import, not a field of the host: in boot that is the
 * binary's src/verify, and in the app's copy of this file (the upgrade engine evaluates a
 * new bundle in-process) the build turns it into `anode:verify`, the same host module. So
 * every bundle, however it is evaluated, verifies with the binary's code.
 */
export function hostRequire(host: AppHost): (id: string) => unknown {
  const level = {
    get ClassicLevel() {
      return host.Level;
    },
  };
  const modules = new Map<string, unknown>([
    [HOST_MODULES.runtime, host.runtime],
    [HOST_MODULES.errors, host.errors],
    [HOST_MODULES.verify, verify],
    [HOST_MODULES.level, level],
  ]);
  return (id: string) => {
    const shared = modules.get(id);
    if (shared !== undefined) return shared;
    const builtin = process.getBuiltinModule(id);
    if (builtin !== undefined) return builtin;
    const err = new Error(
      `Cannot find module '${id}': an app bundle may load only Node built-ins and host modules`,
    ) as Error & { code: string };
    err.code = "MODULE_NOT_FOUND";
    throw err;
  };
}
