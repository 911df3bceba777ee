import type { PeerInfo } from "../../../p2p";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { loadClient } from "../../lazy";
import { parseIntOption } from "../../parsers";

interface PingReply {
  count: number;
  ok: number;
  failed: number;
  firstError?: string;
  callsPerSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

interface PeersReply {
  nodeId: string;
  listen: string;
  peers: PeerInfo[];
}

export const peersCommand: CommandSpec = {
  command: "peers",
  describe: "list connected peers: id, address, direction, latency, bytes in and out",
  options: [
    { flags: "--ping <id>", describe: "instead, time remote calls to that peer's router" },
    {
      flags: "--count <n>",
      describe: "pings to send (default 10)",
      parse: parseIntOption("--count", 1, 1_000_000),
      default: 10,
    },
    {
      flags: "--window <n>",
      describe: "pings in flight at once (default 1)",
      parse: parseIntOption("--window", 1, 1024),
      default: 1,
    },
  ],
  async handler({ options, io }) {
    const client = await (await loadClient()).NodeClient.connect(options, io);
    const o = options as GlobalOptions & { ping?: string; count: number; window: number };
    if (o.ping !== undefined) {
      const r = await client.request<PingReply>("POST", "/v1/peers/ping", {
        peer: o.ping,
        count: o.count,
        window: o.window,
      });
      if (o.json) printJson(io, r);
      else {
        const ms = (v: number | null) => (v === null ? "-" : `${v.toFixed(2)} ms`);
        println(
          io,
          `${r.ok}/${r.count} answered, ${r.callsPerSecond.toFixed(0)} calls/s, p50 ${ms(r.p50Ms)}, p99 ${ms(r.p99Ms)}`,
        );
        if (r.firstError) println(io, `first failure: ${r.firstError}`);
      }
      return r.failed === 0 ? EXIT.OK : EXIT.FAILURE;
    }
    const r = await client.request<PeersReply>("GET", "/v1/peers");
    if (options.json) {
      printJson(io, r);
      return 0;
    }
    println(io, `node ${r.nodeId} listening on ${r.listen}, ${r.peers.length} peer(s)`);
    for (const p of r.peers) {
      const latency = p.latencyMs === undefined ? "-" : `${p.latencyMs.toFixed(1)}ms`;
      println(
        io,
        `${p.id}  ${p.address.padEnd(21)} ${p.direction.padEnd(8)} ${latency.padStart(8)}  in ${p.bytesIn}B  out ${p.bytesOut}B`,
      );
    }
    return 0;
  },
};
