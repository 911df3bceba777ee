import type { Io } from "../../src/cli/io";
import { runCli } from "../../src/cli/runCli";

/** An Io that keeps everything written to it; `env` is explicit so the real one never leaks in. */
export interface CapturedIo extends Io {
  out(): string;
  err(): string;
}

export function captureIo(opts: { env?: NodeJS.ProcessEnv; colour?: boolean } = {}): CapturedIo {
  let stdout = "";
  let stderr = "";
  return {
    stdout: {
      write(text: string) {
        stdout += text;
        return true;
      },
    },
    stderr: {
      write(text: string) {
        stderr += text;
        return true;
      },
    },
    env: opts.env ?? {},
    colour: opts.colour ?? false,
    out: () => stdout,
    err: () => stderr,
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process, as `anode <argv>` would, and returns what it printed. */
export async function cli(
  argv: string[],
  opts: { env?: NodeJS.ProcessEnv; colour?: boolean } = {},
): Promise<CliRun> {
  const io = captureIo(opts);
  const code = await runCli(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
