import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../../files";
import { parseSigningKey, signBytes } from "../../../upgrade";
import { cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { releaseFiles, SUMS, SUMS_SIG, sumsSignatureText, sumsText } from "./releaseSums";

/**
 * `release sums`: SHA256SUMS and its signature, rewritten over what a release folder holds
 * now. Co-signing changes manifest.json, which SHA256SUMS lists, so the last key holder
 * runs this; installers accept SHA256SUMS signed by any one trusted key.
 */
export const sumsCommand: CommandSpec = {
  command: "sums <dir>",
  describe: `rewrite ${SUMS} over a release folder's files and sign it (${SUMS_SIG}, as installers read it)`,
  options: [{ flags: "--key <file>", describe: "signing key file" }],
  async handler({ args, options, io }) {
    const dir = args[0] as string;
    const o = options as GlobalOptions & { key?: string };
    if (o.key === undefined)
      throw cliError(EXIT.USAGE, "CLI_BAD_OPTION", `Cannot sign ${SUMS}: give --key <file>`);
    let key: ReturnType<typeof parseSigningKey>;
    try {
      key = parseSigningKey(JSON.parse(await readFile(o.key, "utf8")));
    } catch (err) {
      throw cliError(EXIT.USAGE, "CLI_BAD_FILE", `${(err as Error).message} (${o.key})`, err);
    }
    let files: string[];
    try {
      files = await releaseFiles(dir);
    } catch (err) {
      throw cliError(EXIT.USAGE, "CLI_BAD_FILE", `Cannot read ${dir}: ${(err as Error).message}`);
    }
    if (files.length === 0)
      throw cliError(EXIT.USAGE, "CLI_BAD_FILE", `Cannot sign ${SUMS}: ${dir} holds no files`);
    const text = await sumsText(dir);
    const signature = signBytes(new Uint8Array(Buffer.from(text, "utf8")), key);
    writeFileAtomic(join(dir, SUMS), text, { mode: 0o644 });
    writeFileAtomic(join(dir, SUMS_SIG), sumsSignatureText(signature), { mode: 0o644 });
    if (o.json) printJson(io, { dir, files, signer: key.id });
    else println(io, `${SUMS} of ${files.length} files in ${dir}, signed by ${key.id}`);
    return EXIT.OK;
  },
};
