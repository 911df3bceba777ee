import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { repository } from "./repository.mjs";
import { TARGETS } from "./targets.mjs";
import { readPinnedWinsw, winswPath } from "./winsw.mjs";

const root = resolve(import.meta.dirname, "../..");
const installers = join(root, "installers");

/**
 * The installers a user downloads beside the binaries, trusting the keys these binaries
 * were built to trust (build/trusted-keys.json, or ANODE_TRUSTED_KEYS_FILE's), so a
 * release's install.sh checks SHA256SUMS.sig against the release's own keys.
 */
export function copyInstallScripts(out, trustedKeys, tools) {
  const keys = trustedKeys.keys.map((k) => k.publicKey);
  const sh = readFileSync(join(installers, "linux/install.sh"), "utf8");
  // The block render-service-files.mjs writes into the repo's copy, with these keys.
  const shKeys = tools.spliceBlock(sh, "KEYS", "ANODE_TRUSTED_KEYS", `${keys.join("\n")}\n`);
  const ps1 = readFileSync(join(installers, "windows/install.ps1"), "utf8");
  if (!/^\$EmbeddedKeys = /m.test(ps1)) {
    throw new Error("Cannot stamp the release keys: install.ps1 has no $EmbeddedKeys line");
  }
  const ps1Keys = ps1.replace(
    /^\$EmbeddedKeys = .*$/m,
    `$EmbeddedKeys = @(${keys.map((k) => `"${k}"`).join(", ")})`,
  );
  // The download URL too comes from package.json's repository (the repo's copies are
  // checked against it by test/unit/build/repository.test.ts).
  const latest = repository().latestDownload;
  const shOut = shKeys.replace(/^DEFAULT_BASE_URL=".*"$/m, `DEFAULT_BASE_URL="${latest}"`);
  const ps1Out = ps1Keys.replace(
    /"https:\/\/github\.com\/[^"]+\/releases\/latest\/download"/,
    `"${latest}"`,
  );
  writeFileSync(join(out, "install.sh"), shOut, { mode: 0o755 });
  writeFileSync(join(out, "install.ps1"), ps1Out);
  copyFileSync(join(installers, "linux/uninstall.sh"), join(out, "uninstall.sh"));
  copyFileSync(join(installers, "windows/uninstall.ps1"), join(out, "uninstall.ps1"));
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
