import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * V8's code cache of the embedded app, made by running the boot bundle with plain Node
 * (the very Node binary the executable is made of, so the cache fits its V8) on one
 * command, and written by boot's ANODE_CODE_CACHE_OUT hook after the command ran, so it
 * holds what start-up compiles. It goes inside the executable as a SEA asset: boot
 * never reads a cache from a writable folder.
 */
export async function makeAppCodeCache({ nodeExe, bootFile, appFile, dir }) {
  const work = join(dir, "code-cache");
  mkdirSync(join(work, "home"), { recursive: true });
  // Boot loads the embedded app from app.cjs beside itself when it is not a SEA.
  copyFileSync(bootFile, join(work, "anode.cjs"));
  copyFileSync(appFile, join(work, "app.cjs"));
  const out = join(work, "app.v8");
  // `status` with no node behind the port: the CLI, config and client paths most
  // commands share (it exits 1 after saying no node answers; the cache is written anyway).
  const args = ["--data-dir", join(work, "data"), "--api-port", "9", "status"];
  await run(nodeExe, [join(work, "anode.cjs"), ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: join(work, "home"), ANODE_CODE_CACHE_OUT: out },
  }).catch(() => {});
  if (!existsSync(out) || statSync(out).size === 0) {
    throw new Error(`Cannot build the app's code cache: ${nodeExe} wrote nothing to ${out}`);
  }
  return out;
}
