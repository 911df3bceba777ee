import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "../../../../../src/cli/cliError";
import { MAX_TX_FILE_BYTES, readTxFile } from "../../../../../src/cli/commands/tx/readTxFile";
import { EXIT } from "../../../../../src/cli/exitCodes";
import { useTempDir } from "../../../../support/useTempDir";

const dir = useTempDir("anode-readtx-");

async function usageError(file: string): Promise<CliError> {
  const err = await readTxFile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  expect((err as CliError).exit).toBe(EXIT.USAGE);
  expect((err as CliError).code).toBe("CLI_BAD_FILE");
  return err as CliError;
}

describe("readTxFile()", () => {
  it("parses a JSON transaction file", async () => {
    const file = join(dir(), "tx.json");
    writeFileSync(file, JSON.stringify({ kind: "kv", ops: [] }));
    await expect(readTxFile(file)).resolves.toEqual({ kind: "kv", ops: [] });
  });

  it("refuses a missing file, naming it", async () => {
    const file = join(dir(), "missing.json");
    expect((await usageError(file)).message).toMatch(/^Cannot read .*missing\.json: ENOENT/);
  });

  it("refuses a file that is not JSON", async () => {
    const file = join(dir(), "bad.json");
    writeFileSync(file, "{ not json");
    expect((await usageError(file)).message).toContain("not valid JSON");
  });

  it("refuses a file larger than MAX_TX_FILE_BYTES", async () => {
    const file = join(dir(), "big.json");
    writeFileSync(file, Buffer.alloc(MAX_TX_FILE_BYTES + 1, 0x20));
    expect((await usageError(file)).message).toContain(`larger than ${MAX_TX_FILE_BYTES} bytes`);
  });
});
