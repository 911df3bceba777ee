import { type BootInfo, describeTrust } from "../../../boot";
import type { RunningApp } from "../../../engines";
import type { CommandSpec } from "../../commandSpec";
import { paint, printJson, println } from "../../io";
import { loadClient } from "../../lazy";

interface StatusReply {
  version: string;
  networkId: string;
  pid: number;
  dataDir: string;
  startedAt: number;
  restarts: number;
  engines: Array<{ name: string; version: string; status: string }>;
  storage: { height: number; root: string };
  mempool: { pending: number; inFlight: number; committed: number };
  boot?: BootInfo;
  /** The app that runs now and why (after a hot swap, not what boot chose). */
  app?: RunningApp;
}

export const statusCommand: CommandSpec = {
  command: "status",
  describe: "show the running node's height, state root, mempool and engines",
  async handler({ options, io }) {
    const client = await (await loadClient()).NodeClient.connect(options, io);
    const s = await client.request<StatusReply>("GET", "/v1/status");
    if (options.json) {
      printJson(io, s);
      return 0;
    }
    const up = Math.round((Date.now() - s.startedAt) / 1000);
    println(
      io,
      `${paint(io, "bold", "anode")} ${s.version}  network ${s.networkId}  pid ${s.pid}  up ${up}s`,
    );
    println(io, `height      ${s.storage.height}`);
    println(io, `state root  ${s.storage.root}`);
    println(
      io,
      `mempool     ${s.mempool.pending} pending, ${s.mempool.inFlight} in flight, ${s.mempool.committed} committed since start`,
    );
    println(io, `restarts    ${s.restarts}`);
    const app = describeApp(s.app, s.boot);
    if (app !== undefined) println(io, `app         ${app}`);
    // The upgrade engine's keys (boot's, under boot); boot's word if the engine is busy.
    const trust = s.app?.trust ?? s.boot?.trust;
    if (trust !== undefined) {
      const line = `release keys: ${describeTrust(trust)}`;
      println(io, trust.source === "compiled" ? line : paint(io, "yellow", line));
    }
    println(io, `data        ${s.dataDir}`);
    const engines = s.engines.filter((e) => !e.name.startsWith("filter:"));
    println(
      io,
      `engines     ${engines.map((e) => `${e.name}@${e.version}${e.status === "running" ? "" : ` (${e.status})`}`).join(", ")}`,
    );
    return 0;
  },
};

/**
 * The app that runs now. Boot's choice ("0.2.0 (installed, <path>; binary 0.1.0, ...)")
 * until a hot swap or rollback changes it without a restart; then the running version
 * and how it came to run, followed by what boot had started.
 */
export function describeApp(app: RunningApp | undefined, b: BootInfo | undefined) {
  const booted = b === undefined ? undefined : describeBoot(b);
  if (app === undefined || app.how === "installed" || app.how === "embedded") {
    return booted ?? (app === undefined ? undefined : `${app.version}, ${app.why}`);
  }
  const running = `${app.version}, ${app.why}`;
  return booted === undefined ? running : `${running}; booted ${booted}`;
}

function describeBoot(b: BootInfo): string {
  const from = b.source === "installed" ? `installed, ${b.path}` : "embedded";
  const refused = b.refused.map((r) => `; refused ${r.version}: ${r.reason}`).join("");
  return `${b.appVersion} (${from}; binary ${b.binaryVersion}, ${b.build})${refused}`;
}
