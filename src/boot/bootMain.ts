import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { VERSION } from "../version";
import { BUILD, TRUSTED_KEYS } from "./buildInfo";
import { cacheDir } from "./cacheDir";
import { createHost } from "./createHost";
import { isNodeStart, RESTART_EXIT_CODE } from "./nodeStart";
import { resolveConfigFile, resolveDataDir } from "./resolveDataDir";
import { resolveTrust } from "./resolveTrust";
import { selectApp } from "./selectApp";
import { settleBinaryTrial } from "./settleBinaryTrial";

/**
 * Boots one invocation: settles the data directory, picks and evaluates the app bundle
 * (a verified installed one, else the embedded one) and runs the command line in it.
 */
/** Set (to anything) to compile the app on every start, e.g. to measure the cache's worth. */
const ANODE_NO_CODE_CACHE = "ANODE_NO_CODE_CACHE";

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
  const trust = resolveTrust(TRUSTED_KEYS, {
    env: process.env,
    configText: where.readFile(resolveConfigFile(where)),
  });
  if (isNodeStart(argv, process.env)) {
    const settled = settleBinaryTrial(dataDir, { running: VERSION });
    if (settled.step === "restore") {
      process.stderr.write(
        `anode: binary ${VERSION} did not survive its health window; ${settled.marker?.previous || "the old binary"} is back in place, restarting\n`,
      );
      return RESTART_EXIT_CODE;
    }
  }
  const host = createHost({
    version: VERSION,
    trust,
    // Bundled into the binary with its addon from a SEA asset; external in dev builds.
    loadLevel: () => (require("classic-level") as typeof import("classic-level")).ClassicLevel,
  });
  const { app, info, saveCodeCache } = selectApp({
    dataDir,
    embeddedVersion: VERSION,
    build: BUILD,
    trust,
    host,
    warn: (line) => process.stderr.write(`${line}\n`),
    cacheDir:
      ANODE_NO_CODE_CACHE in process.env
        ? undefined
        : cacheDir({ platform: process.platform, env: process.env, home: homedir() }),
  });
  host.boot = info;
  const code = await app.main(host, argv);
  // After the run, so the cache also holds the functions this command compiled lazily.
  saveCodeCache();
  return code;
}
