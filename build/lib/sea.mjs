import { execFile } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { makeAppCodeCache } from "./appCodeCache.mjs";
import { nodeBinary } from "./nodeBinary.mjs";
import { NODE_VERSION, TARGETS } from "./targets.mjs";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/**
 * One single executable: the official Node binary for `target` with a SEA blob holding
 * the boot bundle as its main script and its assets: the app bundle (`app.cjs`, the
 * embedded app), the target's classic-level addon (`classic-level.node`) and, when the
 * target is this machine, V8's compiled code for the app (`app.v8`).
 */
export async function makeSeaBinary({ target, bootFile, appFile, outFile, workDir }) {
  if (process.version !== `v${NODE_VERSION}`) {
    // The blob's format belongs to the Node version that writes it.
    throw new Error(
      `Cannot build binaries with Node ${process.version}: run it through npm (Node ${NODE_VERSION})`,
    );
  }
  const t = TARGETS[target];
  const dir = join(workDir, target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const blob = join(dir, "sea.blob");
  const config = join(dir, "sea-config.json");
  const sameMachine = t.host.platform === process.platform && t.host.arch === process.arch;
  const appCache = sameMachine
    ? await makeAppCodeCache({ nodeExe: nodeBinary(target), bootFile, appFile, dir })
    : undefined;
  writeFileSync(
    config,
    JSON.stringify({
      main: bootFile,
      output: blob,
      disableExperimentalSEAWarning: true,
      // V8's code cache is only valid for the V8 build and CPU that wrote it.
      useCodeCache: sameMachine,
      useSnapshot: false,
      assets: {
        "app.cjs": appFile,
        "classic-level.node": join(root, "node_modules/classic-level/prebuilds", t.addon),
        ...(appCache === undefined ? {} : { "app.v8": appCache }),
      },
    }),
  );
  await run(process.execPath, ["--experimental-sea-config", config]);
  copyFileSync(nodeBinary(target), outFile);
  chmodSync(outFile, 0o755);
  const args = [outFile, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE];
  if (t.macho) args.push("--macho-segment-name", "NODE_SEA");
  // postject works in WebAssembly on one thread; a child process each lets targets overlap.
  await run(process.execPath, [join(root, "node_modules/postject/dist/cli.js"), ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  rmSync(dir, { recursive: true, force: true });
  return outFile;
}
