import { styleText } from "node:util";
import type { ClassicLevel } from "classic-level";
import type { BootInfo } from "../boot";
import type { TrustedKeys } from "../upgrade";

type Style = Parameters<typeof styleText>[0];

/** Where a command writes, and whether it may use colour. Tests pass their own. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Colour only on a terminal, and never when NO_COLOR is set. */
  colour: boolean;
  /** What the binary's boot layer provides; absent when the CLI runs straight from source. */
  host?: CliHost;
}

/** The parts of the boot layer's host that commands use. */
export interface CliHost {
  /** The LevelDB class, with its native addon loaded by the binary. */
  readonly Level: typeof ClassicLevel;
  /** Which app bundle runs and why (shown by `status`). */
  readonly boot: BootInfo;
  /** The release keys boot trusts (compiled in, or the config's override). */
  readonly trust?: TrustedKeys;
}

/** A reader that closed the pipe (`anode status | head -1`) is not an error: stop quietly. */
function exitOnClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
}

export function processIo(): Io {
  process.stdout.on("error", exitOnClosedPipe);
  const env = process.env;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    colour: !noColor && process.stdout.isTTY === true,
  };
}

export function paint(io: Io, style: Style, text: string): string {
  return io.colour ? styleText(style, text, { validateStream: false }) : text;
}

export function println(io: Io, text = ""): void {
  io.stdout.write(`${text}\n`);
}

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
