import type { ClassicLevel } from "classic-level";
import type * as errors from "../errors";
import type * as runtime from "../runtime";
import type { AnyEngineModule } from "../runtime";
import type { TrustedKeys } from "../verify";
import type { TrustSummary } from "./trustSummary";

/**
 * The contract between the binary and an app bundle. Bump it when the host gives the
 * app anything different; a binary refuses a bundle built for another number (its
 * manifest says which), so an app release can never run against a host it was not
 * built for. 2: the host serves its verifier (`anode:verify`), and a bundle says which
 * binary-layer sources it was built against (`binaryLayer`).
 */
export const HOST_API_VERSION = 2;

/** Module ids the host serves to the app's `require`, in place of bundled copies. */
export const HOST_MODULES = {
  runtime: "anode:runtime",
  errors: "anode:errors",
  verify: "anode:verify",
  level: "anode:classic-level",
} as const;

export interface RefusedBundle {
  version: string;
  /** Why boot refused it, one line ("its sha512 does not match the signed manifest"). */
  reason: string;
}

/** Which app bundle this process runs and why; `status` shows it. */
export interface BootInfo {
  source: "embedded" | "installed";
  appVersion: string;
  /** The binary's own version and its `git describe`. */
  binaryVersion: string;
  build: string;
  /** Where the installed bundle came from; absent for the embedded one. */
  path?: string;
  /** Key ids that signed the installed bundle's manifest. */
  signers?: string[];
  refused: RefusedBundle[];
  /** The release keys boot resolved and where from; absent from hosts older than it. */
  trust?: TrustSummary;
}

/** What the boot layer hands the app: everything native or shared comes from here. */
export interface AppHost {
  hostApi: typeof HOST_API_VERSION;
  /** The binary's version (the runtime, the native addon and boot change only with it). */
  version: string;
  Level: typeof ClassicLevel;
  runtime: typeof runtime;
  errors: typeof errors;
  /**
   * The release keys boot verified with: the compiled-in ones or their override
   * (`boot.trust` says which), for the upgrade engine.
   */
  trust: TrustedKeys;
  boot: BootInfo;
}

/** What an app bundle exports (CommonJS `module.exports`). */
export interface AppModule {
  hostApi: number;
  version: string;
  /**
   * The digest of the binary-layer sources the bundle was built against; boot refuses a
   * bundle whose digest is not its own (a binary release is needed for it).
   */
  binaryLayer?: string;
  /** Runs one command line; resolves with the process exit code. */
  main(host: AppHost, argv: string[]): Promise<number>;
  /**
   * Every engine module in the bundle by registered name, so a running node's upgrade
   * engine can swap the changed ones in place (boot itself never reads it). A bundle
   * without it can only be applied by a restart.
   */
  engines?: () => Promise<Readonly<Record<string, AnyEngineModule>>>;
}

/**
 * A bundle's engine modules. A function, so that loading a bundle for a CLI command does
 * not evaluate every engine (that doubled `anode --version`); none for a bundle without.
 */
export async function appEngines(
  app: AppModule,
): Promise<Readonly<Record<string, AnyEngineModule>>> {
  return (typeof app.engines === "function" ? await app.engines() : undefined) ?? {};
}
