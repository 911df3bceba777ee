import { isAscii } from "node:buffer";
import { dirname } from "node:path";
import { Script } from "node:vm";
import { NEEDS_BINARY_REASON } from "../verify";
import { BINARY_LAYER } from "./binaryLayer";
import { BootError } from "./bootError";
import { type AppHost, type AppModule, HOST_API_VERSION } from "./hostContract";
import { hostRequire } from "./hostRequire";

export interface EvaluateAppOptions {
  /** Shown in stack traces; never read: the bytes are what was verified. */
  filename: string;
  version: string;
  host: AppHost;
  /**
   * V8's compiled code for these bytes. Only ever from a place as trusted as the boot
   * code itself (inside the executable): V8 checks little more than the source length,
   * so whoever can write the cache chooses the code that runs.
   */
  cachedData?: Uint8Array;
  /**
   * The binary-layer digest the bundle must have been built against: by default the one
   * this code was built with (the binary's own, since boot checked it for the running
   * app); null for a reader of any bundle (`release sign`), which never runs it.
   */
  binaryLayer?: string | null;
}

export interface EvaluatedApp {
  app: AppModule;
  /** Whether V8 used `cachedData`; false when none was given or V8 refused it. */
  cacheUsed: boolean;
  /** V8's compiled code as it is now (the build writes it into the executable). */
  createCachedData(): Buffer;
}

/**
 * Evaluates an app bundle's bytes as a CommonJS module with the host's `require`, and
 * checks that it exports the contract. Evaluating the bytes in hand (never re-reading
 * a path) is what makes the verification before it mean something.
 */
export function evaluateApp(bytes: Uint8Array, o: EvaluateAppOptions): EvaluatedApp {
  const fail = (reason: string, cause?: unknown) =>
    new BootError(
      { code: "BOOT_EVAL_FAILED", version: o.version, reason },
      `Cannot boot app bundle ${o.version}: ${reason}`,
      { cause },
    );
  const module = { exports: {} as Record<string, unknown> };
  let script: Script;
  let cacheUsed = false;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // esbuild writes ASCII (it escapes the rest), which decodes as latin1 in half the
    // time of UTF-8, exactly; anything else is decoded as UTF-8.
    const code = buffer.toString(isAscii(buffer) ? "latin1" : "utf8");
    const cachedData = o.cachedData;
    // The CommonJS wrapper on the first line, so line numbers in stack traces stay right.
    script = new Script(
      `(function (exports, require, module, __filename, __dirname) {${code}\n})`,
      {
        filename: o.filename,
        ...(cachedData === undefined ? {} : { cachedData }),
      },
    );
    cacheUsed = cachedData !== undefined && script.cachedDataRejected !== true;
    const fn = script.runInThisContext() as (...args: unknown[]) => void;
    fn.call(
      module.exports,
      module.exports,
      hostRequire(o.host),
      module,
      o.filename,
      dirname(o.filename),
    );
  } catch (err) {
    throw fail(`evaluating it threw: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const app = module.exports as Partial<AppModule>;
  if (typeof app.main !== "function") throw fail("it exports no main()");
  if (app.hostApi !== HOST_API_VERSION) {
    throw fail(
      `it was built for host API ${String(app.hostApi)}, this binary has ${HOST_API_VERSION}`,
    );
  }
  const binaryLayer = o.binaryLayer === undefined ? BINARY_LAYER : o.binaryLayer;
  if (binaryLayer !== null && app.binaryLayer !== binaryLayer) throw fail(NEEDS_BINARY_REASON);
  return {
    app: app as AppModule,
    cacheUsed,
    createCachedData: () => script.createCachedData(),
  };
}
