import { cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { paint, println } from "../../io";
import { loadClient } from "../../lazy";
import { collect, parseIntOption } from "../../parsers";

interface EventsOptions extends GlobalOptions {
  topic?: string[];
  filter?: string;
  count?: number;
}

export const eventsCommand: CommandSpec = {
  command: "events",
  describe: "stream the node's events (transactions, blocks, recovery) as they happen",
  options: [
    {
      flags: "--topic <topic>",
      describe: 'only these topics (repeatable; "tx.*" matches a prefix)',
      parse: collect,
    },
    {
      flags: "--filter <json>",
      describe: 'a filter chain, e.g. \'[{"name":"field","params":{"path":"ok","equals":false}}]\'',
    },
    { flags: "--count <n>", describe: "stop after n events", parse: parseIntOption("--count", 1) },
  ],
  examples: `Examples:
  anode events --topic block.committed
  anode events --topic "tx.*" --json --count 10   # JSON lines`,
  async handler({ options, io }) {
    const o = options as EventsOptions;
    const q = new URLSearchParams();
    for (const t of o.topic ?? []) q.append("topic", t);
    if (o.filter !== undefined) q.set("filter", o.filter);
    const client = await (await loadClient()).NodeClient.connect(o, io);
    const ws = await client.events(q);
    return new Promise<number>((resolve, reject) => {
      let seen = 0;
      const onSignal = () => ws.close(1000);
      process.once("SIGINT", onSignal);
      const done = (code: number) => {
        process.off("SIGINT", onSignal);
        resolve(code);
      };
      ws.on("unexpected-response", (_req, res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          process.off("SIGINT", onSignal);
          let message = `HTTP ${res.statusCode}`;
          try {
            message = (
              JSON.parse(Buffer.concat(chunks).toString()) as { error: { message: string } }
            ).error.message;
          } catch {}
          reject(
            cliError(
              res.statusCode === 401 ? EXIT.UNAUTHORIZED : EXIT.USAGE,
              "CLI_STREAM_REFUSED",
              message,
            ),
          );
        });
      });
      ws.on("error", (err) => {
        process.off("SIGINT", onSignal);
        reject(
          cliError(
            EXIT.UNAVAILABLE,
            "CLI_UNREACHABLE",
            `Cannot stream events from ${client.base}: ${err.message}`,
          ),
        );
      });
      ws.on("message", (data) => {
        const event = JSON.parse(String(data)) as { topic: string; body?: unknown; time?: number };
        if (event.topic === "stream.subscribed" || (o.count !== undefined && seen >= o.count))
          return;
        seen++;
        if (o.json) println(io, JSON.stringify(event));
        else {
          const time = new Date(event.time ?? Date.now()).toISOString();
          println(
            io,
            `${paint(io, "dim", time)} ${paint(io, "cyan", event.topic)} ${JSON.stringify(event.body)}`,
          );
        }
        if (o.count !== undefined && seen >= o.count) ws.close(1000);
      });
      ws.on("close", (code, reason) => {
        if (code === 1000 || code === 1005) done(EXIT.OK);
        else {
          io.stderr.write(`anode: event stream closed: ${code} ${reason.toString()}\n`);
          done(code === 1008 ? EXIT.USAGE : EXIT.UNAVAILABLE);
        }
      });
    });
  },
};
