import { NodeError } from "../errors";
import type { ExitCode } from "./exitCodes";

/** An error the CLI reports as one line on stderr and turns into its exit code. */
export class CliError extends NodeError<{ code: string; exit: ExitCode }> {
  get exit(): ExitCode {
    return this.type.exit;
  }
}

export function cliError(exit: ExitCode, code: string, message: string, cause?: unknown): CliError {
  return new CliError({ code, exit }, message, cause === undefined ? undefined : { cause });
}
