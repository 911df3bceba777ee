import { ServiceError } from "../../../service";
import { cliError } from "../../cliError";
import { EXIT, type ExitCode } from "../../exitCodes";

const EXITS: Record<string, ExitCode> = {
  SERVICE_MANAGER_ABSENT: EXIT.UNAVAILABLE,
  SERVICE_NOT_INSTALLED: EXIT.NOT_FOUND,
};

/** A service manager's refusal, as the CLI error with its exit code. */
export function toCliError(err: unknown): unknown {
  if (!(err instanceof ServiceError)) return err;
  return cliError(EXITS[err.code] ?? EXIT.FAILURE, err.code, err.message, err);
}
