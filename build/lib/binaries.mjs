import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildApp, buildBoot } from "./bundles.mjs";
import { makeSeaBinary } from "./sea.mjs";
import { versionStamp } from "./stamp.mjs";
import { TARGETS } from "./targets.mjs";
import { loadTrustedKeys } from "./trustedKeys.mjs";

/**
 * Builds the app bundle, the SEA boot bundle and one executable per target into
 * `outDir`. Returns the app bundle's path and each binary's, by target.
 */
export async function buildBinaries({
  targets,
  outDir,
  appVersion,
  appEntry,
  log = console.error,
}) {
  const stamp = versionStamp();
  const version = appVersion ?? stamp.version;
  const trusted = loadTrustedKeys();
  log(`anode ${version} (${stamp.build}); trusted keys from ${trusted.file}`);
  const work = resolve(outDir, ".work");
  mkdirSync(work, { recursive: true });
  const appFile = join(outDir, `anode-app-${version}.cjs`);
  const bootFile = join(work, "boot.cjs");
  await Promise.all([
    buildApp({ outfile: appFile, version, ...(appEntry ? { entry: appEntry } : {}) }),
    buildBoot({
      outfile: bootFile,
      version,
      build: stamp.build,
      trustedKeys: trusted.keys,
      sea: true,
    }),
  ]);
  const binaries = {};
  // Two at a time: each postject run is one busy core and ~150 MB of memory.
  const queue = [...targets];
  const worker = async () => {
    for (let target = queue.shift(); target !== undefined; target = queue.shift()) {
      const started = Date.now();
      const outFile = join(outDir, TARGETS[target].output);
      await makeSeaBinary({ target, bootFile, appFile, outFile, workDir: work });
      binaries[target] = outFile;
      log(`built ${outFile} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all([worker(), worker()]);
  return { version, build: stamp.build, appFile, binaries, trustedKeys: trusted };
}
