import { SUPERVISE_ENV } from "../../../boot";
import type { LogFormat, LogLevel } from "../../../logging";
import { VERSION } from "../../../version";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { parseIntOption } from "../../parsers";
import { superviseNode } from "./superviseNode";

// Spelled out rather than imported so that loading the command list never loads the
// logger; a test checks these match src/logging's lists, and the config schema enforces them.
export const LEVELS_HELP = "trace, debug, info, warn, error, fatal, silent";
export const FORMATS_HELP = "auto, json, pretty";

interface StartOptions extends GlobalOptions {
  logLevel?: string;
  logFormat?: string;
  blockIntervalMs?: number;
}

export const startCommand: CommandSpec = {
  command: "start",
  describe: "run a node in the foreground until Ctrl-C or SIGTERM",
  options: [
    {
      flags: "--log-level <level>",
      describe: `log level: ${LEVELS_HELP} (env ANODE_LOG_LEVEL)`,
    },
    {
      flags: "--log-format <format>",
      describe: `log format: ${FORMATS_HELP} (env ANODE_LOG_FORMAT)`,
    },
    {
      flags: "--block-interval-ms <ms>",
      describe: "cut a block at least this often (env ANODE_NODE_BLOCK_INTERVAL_MS)",
      parse: parseIntOption("--block-interval-ms", 1, 60_000),
    },
  ],
  examples: `Examples:
  anode start                              # data in the platform's user data directory
  anode start --data-dir ./node1 --api-port 7720
  anode start --system                     # /var/lib/anode and /etc/anode/config.json`,
  async handler({ options, io }) {
    const o = options as StartOptions;
    if (io.env[SUPERVISE_ENV] === "1") return superviseNode(io.env);
    const [{ loadConfig }, { createLogger }, { AnodeNode }] = await Promise.all([
      import("../../../config"),
      import("../../../logging"),
      import("../../../node"),
    ]);
    const loaded = await loadConfig({
      flags: {
        ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }),
        ...(o.apiPort === undefined ? {} : { api: { port: o.apiPort } }),
        ...(o.logLevel === undefined && o.logFormat === undefined
          ? {}
          : {
              log: {
                ...(o.logLevel === undefined ? {} : { level: o.logLevel as LogLevel }),
                ...(o.logFormat === undefined ? {} : { format: o.logFormat as LogFormat }),
              },
            }),
        ...(o.blockIntervalMs === undefined
          ? {}
          : { node: { blockIntervalMs: o.blockIntervalMs } }),
      },
      env: io.env,
      configFile: o.config,
      system: o.system,
    });
    const opts = loaded.options;
    const log = createLogger({ level: opts.log.level, format: opts.log.format });
    const node = await AnodeNode.create(opts, {
      log,
      ...(io.host ? { Level: io.host.Level, boot: io.host.boot } : {}),
      ...(io.host?.trust ? { trust: io.host.trust } : {}),
    });
    const api = `http://${opts.api.host}:${opts.api.port}`;
    const ready = {
      event: "ready",
      version: VERSION,
      pid: process.pid,
      dataDir: opts.dataDir,
      api,
      configFile: loaded.configFile,
    };
    if (o.json) printJson(io, ready);
    else
      println(io, `anode ${VERSION} ready: data ${opts.dataDir}, API ${api} (pid ${process.pid})`);
    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (why: string, code: number) => {
        if (stopping) return;
        stopping = true;
        process.off("SIGINT", onSigint);
        process.off("SIGTERM", onSigterm);
        log.info("stopping", { why });
        node.close().then(
          () => resolve(code),
          (err: unknown) => {
            log.error("stop failed", { err });
            resolve(EXIT.FAILURE);
          },
        );
      };
      const onSigint = () => stop("SIGINT", EXIT.OK);
      const onSigterm = () => stop("SIGTERM", EXIT.OK);
      process.once("SIGINT", onSigint);
      process.once("SIGTERM", onSigterm);
      node.onFatal((reason) => {
        const err = typeof reason === "object" ? reason.error : reason;
        io.stderr.write(
          `anode: the node gave up after repeated crashes: ${(err as Error)?.message ?? String(err)}\n`,
        );
        stop("fatal", EXIT.FAILURE);
      });
    });
  },
};
