import { readFile } from "node:fs/promises";
import { cliError } from "../../cliError";
import { EXIT } from "../../exitCodes";

/** Files bigger than this are not transactions; refuse before reading them whole. */
export const MAX_TX_FILE_BYTES = 8 * 1024 * 1024;

/** Reads a transaction (or `{ "txs": [...] }`) from a JSON file, or stdin for "-". */
export async function readTxFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === "-" ? await readStdin() : await readFile(file, "utf8");
  } catch (err) {
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_FILE",
      `Cannot read ${file}: ${(err as Error).message}`,
      err,
    );
  }
  if (Buffer.byteLength(text) > MAX_TX_FILE_BYTES) {
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_FILE",
      `Cannot read ${file}: larger than ${MAX_TX_FILE_BYTES} bytes`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_FILE",
      `Cannot read ${file}: not valid JSON (${(err as Error).message})`,
      err,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_TX_FILE_BYTES) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
