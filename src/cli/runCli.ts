import { CommanderError } from "commander";
import { NodeError } from "../errors";
import { CliError } from "./cliError";
import { EXIT, type ExitCode } from "./exitCodes";
import { getCli } from "./getCli";
import { type Io, paint } from "./io";

/** Runs one command line and returns its exit code; never throws. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.OK;
  const program = getCli(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version")
        return EXIT.OK;
      // commander has already printed its message (unknown command or flag, missing argument).
      return EXIT.USAGE;
    }
    io.stderr.write(
      `${paint(io, "red", "anode:")} ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return exitCodeOf(err);
  }
}

/** Exit code for an error from anywhere in the node. */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exit;
  if (err instanceof NodeError) {
    const code = err.code;
    if (code.startsWith("CONFIG_") || code.startsWith("TX_") || code === "STORAGE_BAD_SNAPSHOT")
      return EXIT.USAGE;
    if (code === "STORAGE_LOCKED" || code === "API_PORT_IN_USE") return EXIT.UNAVAILABLE;
    if (code === "STORAGE_READ_TIMEOUT" || code === "CALL_TIMEOUT") return EXIT.TIMEOUT;
  }
  return EXIT.FAILURE;
}
