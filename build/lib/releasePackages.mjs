import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TARGETS } from "./targets.mjs";
import { readPinnedWinsw, winswPath } from "./winsw.mjs";

const root = resolve(import.meta.dirname, "../..");
const installers = join(root, "installers");

/** The installers a user downloads beside the binaries. */
export function copyInstallScripts(out) {
  for (const f of ["linux/install.sh", "linux/uninstall.sh"]) {
    copyFileSync(join(installers, f), join(out, f.split("/")[1]));
  }
  for (const f of ["windows/install.ps1", "windows/uninstall.ps1"]) {
    copyFileSync(join(installers, f), join(out, f.split("/")[1]));
  }
}

/** One .deb per Linux target, made by installers/linux/build-deb.sh from the binary. */
export function buildDebs(out, { targets, version, log }) {
  const debs = [];
  for (const target of targets.filter((t) => t.startsWith("linux-"))) {
    const stdout = execFileSync(
      "sh",
      [
        join(installers, "linux/build-deb.sh"),
        "--binary",
        join(out, TARGETS[target].output),
        "--arch",
        target.slice("linux-".length),
        "--version",
        version,
        "--out",
        out,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    debs.push(stdout.trim().split("\n").pop());
    log(`built ${debs.at(-1)}`);
  }
  return debs;
}

/**
 * What the macOS job needs to make the .pkg files after ad-hoc signing (pkgbuild runs
 * only on macOS): build-pkg.sh, the LaunchDaemon plist and the package scripts, in
 * macos-pkg/ (a folder, so not a published file of the release).
 */
export function writeMacosPkgInputs(out) {
  const dir = join(out, "macos-pkg");
  mkdirSync(dir, { recursive: true });
  for (const f of ["build-pkg.sh", "org.anode.node.plist"]) {
    copyFileSync(join(installers, "macos", f), join(dir, f));
  }
  cpSync(join(installers, "macos/scripts"), join(dir, "scripts"), { recursive: true });
  return dir;
}

/** anode-service.exe: the pinned official WinSW, which install.ps1 registers the node with. */
export function writeWinsw(out) {
  const file = winswPath();
  writeFileSync(join(out, "anode-service.exe"), readPinnedWinsw(file));
  return file;
}
