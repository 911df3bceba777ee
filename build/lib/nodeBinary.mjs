import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { NODE_VERSION, TARGETS } from "./targets.mjs";

/** Downloads land here, outside node_modules (a concurrent `npm install` would wipe them). */
export function buildCacheDir() {
  return process.env.ANODE_BUILD_CACHE || join(homedir(), ".cache", "anode-build");
}

/**
 * Path of the official Node executable for `target`. The host's own pinned Node (the
 * `node` dev dependency) serves its own platform; other targets come from their
 * registry package via `npm pack`, cached by version.
 */
export function nodeBinary(target) {
  const t = TARGETS[target];
  if (
    process.version === `v${NODE_VERSION}` &&
    process.platform === t.host.platform &&
    process.arch === t.host.arch
  ) {
    return process.execPath;
  }
  const dir = join(buildCacheDir(), `node-${NODE_VERSION}`, target);
  const bin = join(dir, t.nodeBin.split("/").pop());
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const spec = `${t.nodePackage}@${NODE_VERSION}`;
  console.error(`fetching ${spec} from the npm registry`);
  const work = join(dir, `.pack-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFileSync(npm, ["pack", spec, "--silent", "--pack-destination", work], {
      stdio: ["ignore", "ignore", "inherit"],
      shell: process.platform === "win32",
    });
    const tgz = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`Cannot fetch ${spec}: npm pack wrote no tarball`);
    execFileSync("tar", ["-xzf", tgz, `package/${t.nodeBin}`], { cwd: work, stdio: "inherit" });
    const extracted = join(work, "package", t.nodeBin);
    renameSync(extracted, `${bin}.tmp`);
    renameSync(`${bin}.tmp`, bin);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}
