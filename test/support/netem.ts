import { spawnSync } from "node:child_process";

/** Whether this kernel has tc's netem, which --delay needs (these machines' kernel does not). */
export function kernelHasNetem(): boolean {
  const r = spawnSync("sh", ["-c", "zcat /proc/config.gz 2>/dev/null"], { encoding: "utf8" });
  return !/# CONFIG_NET_SCH_NETEM is not set/.test(r.stdout ?? "");
}
