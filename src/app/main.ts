import { type AppHost, BINARY_LAYER, HOST_API_VERSION } from "../boot";
import { processIo, runCli } from "../cli";
import type { AnyEngineModule } from "../runtime";
import { VERSION } from "../version";

/** The engine modules this bundle brings (for hot swaps), evaluated on first use. */
export const engines = (): Promise<Readonly<Record<string, AnyEngineModule>>> =>
  import("./engines").then((m) => m.engines);

/** The boot contract this bundle was built against; the binary checks it before `main`. */
export const hostApi = HOST_API_VERSION;

/**
 * The binary-layer sources this bundle was built against: boot refuses the bundle on a
 * binary built from other ones, and `release sign` copies it into the manifest so nodes
 * refuse such a release before downloading it.
 */
export const binaryLayer = BINARY_LAYER;

/** This bundle's version (a newer installed bundle wins over the embedded one). */
export const version = VERSION;

/**
 * The app bundle's entry: runs one command line with the host's capabilities (the
 * LevelDB class with its native addon, the shared runtime, what boot chose).
 */
export function main(host: AppHost, argv: string[]): Promise<number> {
  // The host itself, not a copy: its Level getter loads the native addon only when a
  // command opens a database.
  return runCli(argv, { ...processIo(), host });
}
