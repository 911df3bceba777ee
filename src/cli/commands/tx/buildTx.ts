import { randomBytes } from "node:crypto";
import { cliError } from "../../cliError";
import { EXIT } from "../../exitCodes";

export interface TxFlags {
  put?: string[];
  delete?: string[];
  incr?: string[];
  nonce?: string;
}

/**
 * Builds one kv transaction from `--put k=v`, `--delete k` and `--incr k[=by]`, ops in
 * that order. Without `--nonce` a random one is added: running the same command twice
 * means two transactions (two increments), not a duplicate.
 */
export function buildTx(flags: TxFlags): Record<string, unknown> {
  const ops: Array<Record<string, unknown>> = [];
  const reads = new Set<string>();
  const writes = new Set<string>();
  for (const raw of flags.put ?? []) {
    const eq = raw.indexOf("=");
    if (eq <= 0) throw usage(`--put ${raw}: expected key=value`);
    const key = raw.slice(0, eq);
    ops.push({ op: "put", key, value: raw.slice(eq + 1) });
    writes.add(key);
  }
  for (const key of flags.delete ?? []) {
    if (key === "") throw usage("--delete needs a key");
    ops.push({ op: "delete", key });
    writes.add(key);
  }
  for (const raw of flags.incr ?? []) {
    const eq = raw.indexOf("=");
    const key = eq < 0 ? raw : raw.slice(0, eq);
    const by = eq < 0 ? 1 : Number(raw.slice(eq + 1));
    if (key === "" || !Number.isSafeInteger(by))
      throw usage(`--incr ${raw}: expected key or key=integer`);
    ops.push(by === 1 ? { op: "increment", key } : { op: "increment", key, by });
    reads.add(key);
    writes.add(key);
  }
  if (ops.length === 0)
    throw usage("nothing to submit: give --put k=v, --delete k, --incr k or --file <tx.json>");
  return {
    kind: "kv",
    reads: [...reads],
    writes: [...writes],
    ops,
    nonce: flags.nonce ?? randomBytes(8).toString("hex"),
  };
}

function usage(message: string) {
  return cliError(EXIT.USAGE, "CLI_BAD_TX", `Cannot build transaction: ${message}`);
}
