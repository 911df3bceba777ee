import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { loadClient } from "../../lazy";
import { parseIntOption } from "../../parsers";

interface GetOptions extends GlobalOptions {
  at?: number;
  timeout?: number;
}

interface ReadReply {
  key: string;
  at: number;
  found: boolean;
  value?: unknown;
}

const get: CommandSpec = {
  command: "get <key>",
  describe: "print a key's value at the latest height, or as it was at --at <height>",
  options: [
    {
      flags: "--at <height>",
      describe: "read as of this block height (waits if not reached yet)",
      parse: parseIntOption("--at"),
    },
    {
      flags: "--timeout <ms>",
      describe: "how long to wait for a height not reached yet (default 5000)",
      parse: parseIntOption("--timeout", 0, 120_000),
    },
  ],
  examples: "Exit code 5 when the key is absent at that height.",
  async handler({ args, options, io }) {
    const o = options as GetOptions;
    const key = args[0] as string;
    const client = await (await loadClient()).NodeClient.connect(o, io);
    const q = new URLSearchParams();
    if (o.at !== undefined) q.set("at", String(o.at));
    if (o.timeout !== undefined) q.set("timeoutMs", String(o.timeout));
    const query = q.size > 0 ? `?${q.toString()}` : "";
    const r = await client.request<ReadReply>(
      "GET",
      `/v1/state/${encodeURIComponent(key)}${query}`,
    );
    if (o.json) printJson(io, r);
    else if (r.found) println(io, typeof r.value === "string" ? r.value : JSON.stringify(r.value));
    else io.stderr.write(`${key}: absent at height ${r.at}\n`);
    return r.found ? EXIT.OK : EXIT.NOT_FOUND;
  },
};

export const stateCommand: CommandSpec = {
  command: "state",
  describe: "read the node's versioned state",
  subcommands: [get],
};
