import type { SubmitResult, TxStatus } from "../../../engines";
import { cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { paint, printJson, println } from "../../io";
import { loadClient } from "../../lazy";
import { collect, parseIntOption } from "../../parsers";
import { buildTx, type TxFlags } from "./buildTx";
import { readTxFile } from "./readTxFile";
import { exitFor, report, waitCommitted } from "./waitCommitted";

interface SubmitOptions extends GlobalOptions, TxFlags {
  file?: string;
  wait?: boolean;
  timeout: number;
}

interface StatusOptions extends GlobalOptions {
  wait?: boolean;
  timeout: number;
}

const waitOptions = [
  { flags: "--wait", describe: "wait until the transaction is committed" },
  {
    flags: "--timeout <ms>",
    describe: "how long --wait waits (default 30000)",
    parse: parseIntOption("--timeout", 1, 120_000),
    default: 30_000,
  },
];

const submit: CommandSpec = {
  command: "submit",
  describe: "submit a kv transaction built from flags, or read from a JSON file",
  options: [
    { flags: "--put <key=value>", describe: "put a string value (repeatable)", parse: collect },
    { flags: "--delete <key>", describe: "delete a key (repeatable)", parse: collect },
    {
      flags: "--incr <key[=by]>",
      describe: "increment a number, from 0 if absent (repeatable)",
      parse: collect,
    },
    { flags: "--nonce <text>", describe: "make the transaction unique (default: random)" },
    { flags: "--file <path>", describe: 'a JSON transaction or { "txs": [...] }; "-" reads stdin' },
    ...waitOptions,
  ],
  examples: `Examples:
  anode tx submit --put greeting=hello --wait
  anode tx submit --incr counter --incr visits=5
  anode tx submit --file tx.json --json
A file holds {"kind":"kv","reads":[..],"writes":[..],"ops":[{"op":"put","key":"k","value":"v"}, ...]}
with ops put, delete, increment (by) and cas (expect, value; expect null = absent).`,
  async handler({ options, io }) {
    const o = options as SubmitOptions;
    const hasFlags = (o.put?.length ?? 0) + (o.delete?.length ?? 0) + (o.incr?.length ?? 0) > 0;
    if (o.file !== undefined && hasFlags) {
      throw cliError(
        EXIT.USAGE,
        "CLI_BAD_TX",
        "Cannot submit: give either --file or --put/--delete/--incr, not both",
      );
    }
    const body = o.file !== undefined ? await readTxFile(o.file) : buildTx(o);
    const client = await (await loadClient()).NodeClient.connect(o, io);
    const isBatch =
      typeof body === "object" && body !== null && Array.isArray((body as { txs?: unknown }).txs);
    if (isBatch) {
      const { results } = await client.request<{ results: SubmitResult[] }>("POST", "/v1/tx", body);
      let code: number = EXIT.OK;
      const out = [];
      for (const r of results) {
        if ("error" in r) {
          code = EXIT.USAGE;
          out.push(r);
          if (!o.json) println(io, `${paint(io, "red", "rejected")} ${r.error.message}`);
          continue;
        }
        const status = o.wait ? await waitCommitted(client, r.id, o.timeout) : r.status;
        out.push({ ...r, status });
        code = Math.max(
          code,
          exitFor(status),
          o.wait && status.state !== "committed" ? EXIT.TIMEOUT : 0,
        );
        if (!o.json) report(io, r.id, status, r.duplicate);
      }
      if (o.json) printJson(io, { results: out });
      return code;
    }
    const r = await client.request<{ id: string; status: TxStatus; duplicate: boolean }>(
      "POST",
      "/v1/tx",
      body,
    );
    const status = o.wait ? await waitCommitted(client, r.id, o.timeout) : r.status;
    if (o.json) printJson(io, { id: r.id, status, duplicate: r.duplicate });
    else report(io, r.id, status, r.duplicate);
    if (o.wait && status.state !== "committed") return EXIT.TIMEOUT;
    return exitFor(status);
  },
};

const status: CommandSpec = {
  command: "status <id>",
  describe: "show where a transaction is: pending, ordered, executed or committed",
  options: waitOptions,
  async handler({ args, options, io }) {
    const o = options as StatusOptions;
    const id = args[0] as string;
    if (!/^[0-9a-f]{64}$/.test(id)) {
      throw cliError(
        EXIT.USAGE,
        "CLI_BAD_ID",
        `Cannot look up ${id}: a transaction id is 64 lowercase hex characters`,
      );
    }
    const client = await (await loadClient()).NodeClient.connect(o, io);
    const st = o.wait
      ? await waitCommitted(client, id, o.timeout)
      : (await client.request<{ status: TxStatus }>("GET", `/v1/tx/${id}`)).status;
    if (o.json) printJson(io, { id, status: st });
    else report(io, id, st);
    if (o.wait && st.state !== "committed" && st.state !== "unknown") return EXIT.TIMEOUT;
    return exitFor(st);
  },
};

export const txCommand: CommandSpec = {
  command: "tx",
  describe: "submit transactions and follow them",
  subcommands: [submit, status],
};
