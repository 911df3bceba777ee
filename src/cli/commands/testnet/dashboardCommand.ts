import { resolve } from "node:path";
import { cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { println } from "../../io";
import { parseIntOption } from "../../parsers";
import { requireTestnet } from "./testnetState";

interface DashboardOptions extends GlobalOptions {
  dir: string;
  port: number;
}

export const dashboardCommand: CommandSpec = {
  command: "dashboard",
  describe:
    "serve a page on 127.0.0.1 that shows every node of a local testnet (heights, peers, each release's progress) until Ctrl-C",
  options: [
    {
      flags: "--dir <dir>",
      describe: "the testnet's folder (default ./testnet)",
      default: "testnet",
    },
    {
      flags: "--port <port>",
      describe: "port on 127.0.0.1 (default 7790)",
      parse: parseIntOption("--port", 1, 65_535),
      default: 7790,
    },
  ],
  examples: `Examples:
  anode testnet up -n 5 && anode testnet dashboard   # then open http://127.0.0.1:7790/`,
  async handler({ options, io }) {
    const o = options as DashboardOptions;
    const dir = resolve(o.dir);
    await requireTestnet(dir);
    const { serveTestnetDashboard } = await import("./testnetDashboardServer");
    const server = await serveTestnetDashboard(dir, "127.0.0.1", o.port).catch((err: unknown) => {
      const inUse = (err as NodeJS.ErrnoException).code === "EADDRINUSE";
      throw cliError(
        EXIT.USAGE,
        inUse ? "CLI_PORT_IN_USE" : "CLI_SERVE_FAILED",
        inUse
          ? `Cannot serve the testnet dashboard: 127.0.0.1:${o.port} is in use (set --port)`
          : `Cannot serve the testnet dashboard: ${(err as Error).message}`,
      );
    });
    println(io, `testnet dashboard of ${dir} at http://127.0.0.1:${o.port}/ (Ctrl-C stops it)`);
    await new Promise<void>((done) => {
      const stop = () => server.close(() => done());
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return EXIT.OK;
  },
};
