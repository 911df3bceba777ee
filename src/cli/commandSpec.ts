import type { Io } from "./io";

export interface OptionSpec {
  /** Commander flag syntax, e.g. "--at <height>" or "--json". */
  flags: string;
  describe: string;
  /** Turns the raw string into the value (and throws a CliError on bad input). */
  parse?: (raw: string, previous: unknown) => unknown;
  default?: unknown;
}

/** Global options every command understands. */
export interface GlobalOptions {
  dataDir?: string;
  config?: string;
  /** System-wide data directory and config (/var/lib/anode, /etc/anode/config.json). */
  system?: boolean;
  apiPort?: number;
  /** Which followed chain tx, state and chain commands address. */
  chain?: string;
  json?: boolean;
}

export interface CommandContext<O = Record<string, unknown>> {
  args: string[];
  options: O & GlobalOptions;
  io: Io;
}

/** A command as data: one folder a command, built into the program by getCli(). */
export interface CommandSpec {
  command: string;
  describe: string;
  options?: OptionSpec[];
  /** Extra help text shown after the options. */
  examples?: string;
  // biome-ignore lint/suspicious/noExplicitAny: each command narrows its own options
  handler?: (ctx: CommandContext<any>) => Promise<number | undefined>;
  subcommands?: CommandSpec[];
}
