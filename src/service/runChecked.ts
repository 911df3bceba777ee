import type { CommandRunner, RunResult } from "./commandRunner";
import { serviceError } from "./serviceError";

/** Runs a service manager command and turns a failure into a ServiceError naming it. */
export async function runChecked(
  runner: CommandRunner,
  what: string,
  program: string,
  args: readonly string[],
): Promise<RunResult> {
  const result = await runner.run(program, args);
  if (result.missing) {
    throw serviceError(
      "SERVICE_MANAGER_ABSENT",
      `Cannot ${what}: ${program} is not installed on this host`,
    );
  }
  if (result.code !== 0) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(0, 5).join(" ");
    throw serviceError(
      "SERVICE_COMMAND_FAILED",
      `Cannot ${what}: \`${[program, ...args].join(" ")}\` exited with ${result.code}${detail ? `: ${detail}` : ""}`,
    );
  }
  return result;
}
