import { readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { applyBinaryCommand, isApplyBinary } from "./applyBinaryCommand";
import { bootTrust } from "./bootTrust";
import { BUILD, TRUSTED_KEYS } from "./buildInfo";
import { createHost } from "./createHost";
import { isNodeStart, RESTART_EXIT_CODE } from "./nodeStart";
import { platformOf } from "./platformOf";
import { resolveDataDir } from "./resolveDataDir";
import { selectApp } from "./selectApp";
import { settleBinaryTrial } from "./settleBinaryTrial";
import { BINARY_SWAP_ENV } from "./stagedBinary";
import { trustSummary } from "./trustSummary";
import { VERSION } from "./version";

/**
 * Boots one invocation: settles the data directory, picks and evaluates the app bundle
 * (a verified installed one, else the embedded one) and runs the command line in it.
 */
/** Set (to anything) to compile the app on every start, e.g. to measure the cache's worth. */
const ANODE_NO_CODE_CACHE = "ANODE_NO_CODE_CACHE";
/**
 * A file to write V8's code cache of the embedded app to after the command ran: how the
 * build makes the cache it puts inside the executable (build/lib/sea.mjs). Boot never
 * reads a cache from a file.
 */
export const ANODE_CODE_CACHE_OUT = "ANODE_CODE_CACHE_OUT";

export async function bootMain(argv: string[]): Promise<number> {
  const where = {
    argv,
    env: process.env,
    platform: process.platform,
    home: homedir(),
    cwd: process.cwd(),
    readFile: (path: string) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
  };
  const dataDir = resolveDataDir(where);
  const resolved = bootTrust(where, TRUSTED_KEYS);
  const trust = resolved.keys;
  const write = (line: string) => process.stderr.write(`${line}\n`);
  if (isApplyBinary(argv)) {
    return applyBinaryCommand({ dataDir, running: VERSION, trust, write });
  }
  if (isNodeStart(argv, process.env)) {
    const platform = platformOf(process.platform, process.arch);
    const privileged = process.env[BINARY_SWAP_ENV] === "privileged" && platform !== undefined;
    const settled = settleBinaryTrial(dataDir, {
      running: VERSION,
      ...(privileged ? { staged: { trust, platform } } : {}),
    });
    if (settled.step === "restore") {
      write(
        `anode: binary ${VERSION} did not survive its health window; ${settled.marker?.previous || "the old binary"} is back in place, restarting`,
      );
      return RESTART_EXIT_CODE;
    }
    if (settled.step === "restored") {
      write(
        `anode: binary ${settled.marker?.version} did not survive its health window; marked bad`,
      );
    }
    if (settled.refused !== undefined) {
      write(`anode: binary ${settled.marker?.version} marked bad: ${settled.refused}`);
    }
  }
  const host = createHost({
    version: VERSION,
    trust,
    // Bundled into the binary with its addon from a SEA asset; external in dev builds.
    loadLevel: () => (require("classic-level") as typeof import("classic-level")).ClassicLevel,
  });
  const { app, info, createCachedData } = selectApp({
    dataDir,
    embeddedVersion: VERSION,
    build: BUILD,
    trust,
    host,
    warn: write,
    useCodeCache: !(ANODE_NO_CODE_CACHE in process.env),
  });
  host.boot = { ...info, trust: trustSummary(resolved) };
  const code = await app.main(host, argv);
  const cacheOut = process.env[ANODE_CODE_CACHE_OUT];
  if (cacheOut !== undefined && cacheOut !== "" && info.source === "embedded") {
    // After the run, so the cache also holds the functions this command compiled lazily.
    writeFileSync(cacheOut, createCachedData());
  }
  return code;
}
