import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { parseTrustedKeys, type TrustedKey } from "../../../upgrade";
import { cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { parseIntOption } from "../../parsers";

/**
 * The public entries of one file: what `release keygen --json` printed (one entry), or a
 * trusted-keys file whose keys are carried over. A secret key file is refused: the trust
 * list is copied to every build and node, and a secret in it is a leaked key.
 */
async function entriesOf(file: string): Promise<unknown[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_FILE",
      `Cannot read ${file}: ${(err as Error).message}`,
      err,
    );
  }
  const o = (value ?? {}) as { secretKey?: unknown; keys?: unknown };
  if (o.secretKey !== undefined) {
    throw cliError(
      EXIT.USAGE,
      "CLI_SECRET_KEY",
      `Cannot use ${file}: it holds a secret key; give the public entry (release keygen --json prints it)`,
    );
  }
  return Array.isArray(o.keys) ? o.keys : [value];
}

export const trustCommand: CommandSpec = {
  command: "trust <public-entry-files...>",
  describe:
    "write a k-of-n trusted-keys file (build/trusted-keys.json, upgrade.trustedKeys) from public key entries",
  options: [
    {
      flags: "--threshold <k>",
      describe: "how many of the keys must sign a release",
      parse: parseIntOption("--threshold", 1, 64),
    },
    { flags: "--out <file>", describe: "trusted-keys file to write (default: print it)" },
    { flags: "--force", describe: "replace --out if it exists" },
  ],
  examples: `Examples:
  anode release trust --threshold 2 --out build/trusted-keys.json holder-a.pub.json holder-b.pub.json holder-c.pub.json`,
  async handler({ args, options, io }) {
    const o = options as GlobalOptions & { threshold?: number; out?: string; force?: boolean };
    if (o.threshold === undefined)
      throw cliError(EXIT.USAGE, "CLI_BAD_OPTION", "Cannot write trust: give --threshold <k>");
    const keys: unknown[] = [];
    for (const file of args) keys.push(...(await entriesOf(file)));
    let trust: { threshold: number; keys: TrustedKey[] };
    try {
      trust = parseTrustedKeys({ threshold: o.threshold, keys });
    } catch (err) {
      throw cliError(EXIT.USAGE, "CLI_BAD_TRUST", (err as Error).message, err);
    }
    const text = `${JSON.stringify(trust, null, 2)}\n`;
    if (o.out === undefined) {
      io.stdout.write(text);
      return EXIT.OK;
    }
    if (existsSync(o.out) && !o.force) {
      throw cliError(
        EXIT.FAILURE,
        "CLI_TRUST_EXISTS",
        `Cannot write ${o.out}: it exists (add --force to replace it)`,
      );
    }
    await writeFile(o.out, text, { mode: 0o644 });
    if (o.json) printJson(io, { file: o.out, ...trust });
    else
      println(
        io,
        `trusted keys written to ${o.out}: ${trust.threshold} of the ${trust.keys.length} keys (${trust.keys.map((k) => k.id).join(", ")}) must sign a release`,
      );
    return EXIT.OK;
  },
};
