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

/**
 * Exit code for an error from anywhere in the node. Supervisors wrap a child's start
 * failure in their own error, so the causes are searched for the first code that decides.
 */
export function exitCodeOf(err: unknown): ExitCode {
  for (
    let e: unknown = err, depth = 0;
    e !== undefined && depth < 8;
    e = (e as Error).cause, depth++
  ) {
    if (e instanceof CliError) return e.exit;
    if (!(e instanceof NodeError)) continue;
    const code = e.code;
    if (code.startsWith("CONFIG_") || code.startsWith("TX_") || code === "STORAGE_BAD_SNAPSHOT")
      return EXIT.USAGE;
    if (code === "STORAGE_LOCKED" || code === "API_PORT_IN_USE" || code === "P2P_LISTEN_FAILED")
      return EXIT.UNAVAILABLE;
    if (code === "STORAGE_READ_TIMEOUT" || code === "CALL_TIMEOUT") return EXIT.TIMEOUT;
  }
  return EXIT.FAILURE;
}
