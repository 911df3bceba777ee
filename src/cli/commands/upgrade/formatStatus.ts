import { describeTrust } from "../../../boot";
import type { UpgradeStatus } from "../../../engines";
import { progressBar } from "./progressBar";

/** `anode upgrade status` for people: what runs, what is coming, what was refused. */
export function formatStatus(s: UpgradeStatus, o: { bars: boolean }): string[] {
  const lines = [
    `running   ${s.running} (binary ${s.binary})`,
    `current   ${s.current}    last good ${s.lastGood}    highest accepted ${s.highestAccepted}${s.bootFloor === null ? "" : `    boot floor ${s.bootFloor}`}`,
    `policy    ${s.policy}, channel ${s.channel}, upload ${(s.uploadBytesPerSecond / 1048576).toFixed(1)} MiB/s`,
  ];
  // A node older than the field says nothing about its keys; a newer one always does.
  if (s.trust !== undefined) lines.push(`release keys: ${describeTrust(s.trust)}`);
  if (s.trial)
    lines.push(
      `trial     ${s.trial.version} in its health window (${Math.round(s.trial.sinceMs / 1000)} s)`,
    );
  for (const r of s.releases) {
    lines.push(`release   ${r.version} (${r.channel}): ${r.status}${r.note ? ` - ${r.note}` : ""}`);
    if (r.status === "fetching") {
      lines.push(
        o.bars
          ? `          ${progressBar(r.bytes.have, r.bytes.total)}`
          : `          ${r.chunks.have}/${r.chunks.total} chunks`,
      );
    }
    const sources = Object.entries(r.sources);
    if (sources.length > 0) {
      lines.push(
        `          chunks from: ${sources.map(([p, n]) => `${p === "self" ? "publisher upload" : p.slice(0, 12)} ${n}`).join(", ")}`,
      );
    }
    if (r.binaryWaiting)
      lines.push(
        "          binary upgrade waiting for the package manager (brew upgrade / apt upgrade)",
      );
  }
  for (const [v, why] of Object.entries(s.bad)) lines.push(`bad       ${v}: ${why}`);
  for (const a of s.alerts) lines.push(`ALERT     ${a.version ?? ""} ${a.code}: ${a.reason}`);
  for (const r of s.refusals.slice(-5))
    lines.push(`refused   ${r.version ?? "?"} ${r.code}: ${r.reason}`);
  return lines;
}
