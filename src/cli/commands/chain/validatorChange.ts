import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TxStatus } from "../../../engines";
import { VALIDATORS_KEY } from "../../../tx";
import { cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { loadClient, loadP2P } from "../../lazy";
import { collect, parseIntOption } from "../../parsers";
import { exitFor, report, waitCommitted } from "../tx/waitCommitted";

/** The file a change travels in between the validators who sign it (small: ids and keys). */
const MAX_CHANGE_FILE_BYTES = 1024 * 1024;

interface Change {
  chainId: string;
  number: number;
  add: Array<{ id: string; publicKey: string; power: number }>;
  remove: string[];
  signatures: Array<{ id: string; signature: string }>;
}

const loadConsensus = () => import("../../../consensus");

async function readChange(file: string): Promise<Change> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw cliError(EXIT.USAGE, "CLI_BAD_CHANGE", `Cannot read ${file}: ${(err as Error).message}`);
  }
  if (Buffer.byteLength(text) > MAX_CHANGE_FILE_BYTES)
    throw cliError(EXIT.USAGE, "CLI_BAD_CHANGE", `Cannot read ${file}: over 1 MiB`);
  const parsed = (await loadConsensus()).parseChange(text.trim());
  if (typeof parsed === "string")
    throw cliError(EXIT.USAGE, "CLI_BAD_CHANGE", `Cannot use ${file}: ${parsed}`);
  return parsed;
}

const writeChange = (file: string, c: Change) => writeFile(file, `${JSON.stringify(c, null, 2)}\n`);

/** "id:publicKey[:power]" (the id and key as `anode id --json` prints them). */
function parseAdd(text: string): Change["add"][number] {
  const [id, publicKey, power = "1", ...rest] = text.split(":");
  const n = Number(power);
  if (!id || !publicKey || rest.length > 0 || !/^\d+$/.test(power) || n < 1)
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_OPTION",
      `Cannot use --add ${text}: expected <id>:<base64 public key>[:<power>] (see anode id --json)`,
    );
  return { id, publicKey, power: n };
}

interface ProposeOptions extends GlobalOptions {
  add?: string[];
  remove?: string[];
  out: string;
}

const propose: CommandSpec = {
  command: "propose",
  describe:
    "write a validator change for the chain's validators to sign (effective 2 heights after it commits)",
  options: [
    {
      flags: "--add <id:key[:power]>",
      describe: "bring a validator in, or set its power (repeatable)",
      parse: collect,
    },
    { flags: "--remove <id>", describe: "take a validator out (repeatable)", parse: collect },
    {
      flags: "--out <file>",
      describe: "where to write the change (default change.json)",
      default: "change.json",
    },
  ],
  examples: `Examples:
  anode chain propose --add "$(anode --config new/config.json id --json | jq -r '.id+":"+.publicKey')" --out change.json
  anode chain sign change.json          # on validators holding more than 2/3 of the power
  anode chain submit change.json --wait`,
  async handler({ options, io }) {
    const o = options as ProposeOptions;
    const add = (o.add ?? []).map(parseAdd);
    const remove = o.remove ?? [];
    if (add.length + remove.length === 0)
      throw cliError(
        EXIT.USAGE,
        "CLI_BAD_OPTION",
        "Cannot propose a change: give --add or --remove",
      );
    const client = await (await loadClient()).NodeClient.connect(o, io);
    const chain = await client.request<{ chainId: string }>("GET", "/v1/chain");
    const stored = await client.request<{ found: boolean; value?: unknown }>(
      "GET",
      `/v1/state/${encodeURIComponent(VALIDATORS_KEY)}`,
    );
    const schedule = stored.found ? JSON.parse(String(stored.value)) : { changes: 0 };
    const change: Change = {
      chainId: chain.chainId,
      number: (schedule.changes as number) + 1,
      add,
      remove,
      signatures: [],
    };
    const checked = (await loadConsensus()).parseChange(JSON.stringify(change));
    if (typeof checked === "string")
      throw cliError(EXIT.USAGE, "CLI_BAD_CHANGE", `Cannot propose the change: ${checked}`);
    await writeChange(o.out, change);
    if (o.json) printJson(io, { file: o.out, change });
    else
      println(
        io,
        `change ${change.number} of ${change.chainId} written to ${o.out}: validators holding more than 2/3 of the power sign it (anode chain sign ${o.out})`,
      );
    return EXIT.OK;
  },
};

const sign: CommandSpec = {
  command: "sign <file>",
  describe: "sign a validator change with this node's key (in its data directory), in place",
  async handler({ args, options, io }) {
    const file = args[0] as string;
    const change = await readChange(file);
    const { options: opts } = await (await loadClient()).loadCliConfig(options, io);
    const keyFile = join(opts.dataDir, "node.key");
    if (!existsSync(keyFile))
      throw cliError(EXIT.NOT_FOUND, "CLI_NO_KEY", `Cannot sign: no node key at ${keyFile}`);
    const identity = (await loadP2P()).loadOrCreateIdentity(opts.dataDir);
    const bytes = (await loadConsensus()).changeSigningBytes(change);
    const signature = Buffer.from(identity.sign(bytes)).toString("base64");
    change.signatures = [
      ...change.signatures.filter((s) => s.id !== identity.id),
      { id: identity.id, signature },
    ];
    await writeChange(file, change);
    if (options.json)
      printJson(io, { file, id: identity.id, signatures: change.signatures.length });
    else
      println(io, `signed by ${identity.id} (${change.signatures.length} signatures in ${file})`);
    return EXIT.OK;
  },
};

interface SubmitOptions extends GlobalOptions {
  wait?: boolean;
  timeout: number;
}

const submit: CommandSpec = {
  command: "submit <file>",
  describe: "submit a signed validator change as a transaction",
  options: [
    { flags: "--wait", describe: "wait until the transaction is committed" },
    {
      flags: "--timeout <ms>",
      describe: "how long --wait waits (default 30000)",
      parse: parseIntOption("--timeout", 1, 120_000),
      default: 30_000,
    },
  ],
  async handler({ args, options, io }) {
    const o = options as SubmitOptions;
    const change = await readChange(args[0] as string);
    const client = await (await loadClient()).NodeClient.connect(o, io);
    const r = await client.request<{ id: string; status: TxStatus; duplicate: boolean }>(
      "POST",
      "/v1/tx",
      {
        kind: "kv",
        reads: [VALIDATORS_KEY],
        writes: [VALIDATORS_KEY],
        ops: [{ op: "put", key: VALIDATORS_KEY, value: JSON.stringify(change) }],
      },
    );
    const status = o.wait ? await waitCommitted(client, r.id, o.timeout) : r.status;
    if (o.json) printJson(io, { id: r.id, status, duplicate: r.duplicate });
    else report(io, r.id, status, r.duplicate);
    if (o.wait && status.state !== "committed") return EXIT.TIMEOUT;
    return exitFor(status);
  },
};

export const validatorChangeCommands = [propose, sign, submit];
