import type { Platform } from "../verify";

/** The release platform name of a Node platform and architecture, if anode ships one. */
export function platformOf(platform: NodeJS.Platform, arch: string): Platform | undefined {
  const os = platform === "darwin" ? "macos" : platform === "win32" ? "win" : platform;
  const name = `${os}-${arch}`;
  const known: readonly string[] = [
    "linux-x64",
    "linux-arm64",
    "macos-x64",
    "macos-arm64",
    "win-x64",
  ];
  return known.includes(name) ? (name as Platform) : undefined;
}
