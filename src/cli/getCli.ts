import { Command, Option } from "commander";
import { VERSION } from "../version";
import type { CommandSpec } from "./commandSpec";
import { chainCommand } from "./commands/chain";
import { configCommand } from "./commands/config";
import { eventsCommand } from "./commands/events";
import { idCommand } from "./commands/id";
import { peersCommand } from "./commands/peers";
import { releaseCommand } from "./commands/release";
import { serviceCommand } from "./commands/service";
import { snapshotCommand } from "./commands/snapshot";
import { startCommand } from "./commands/start";
import { stateCommand } from "./commands/state";
import { statusCommand } from "./commands/status";
import { testnetCommand } from "./commands/testnet";
import { txCommand } from "./commands/tx";
import { upgradeCommand } from "./commands/upgrade";
import { EXIT_CODES_HELP } from "./exitCodes";
import type { Io } from "./io";
import { parseIntOption } from "./parsers";

export const commands: CommandSpec[] = [
  startCommand,
  statusCommand,
  txCommand,
  stateCommand,
  eventsCommand,
  snapshotCommand,
  configCommand,
  idCommand,
  peersCommand,
  testnetCommand,
  chainCommand,
  serviceCommand,
  upgradeCommand,
  releaseCommand,
];

/**
 * Builds the program from the command specs. Tests reuse it with their own Io and read
 * the exit code that `onExit` receives.
 */
export function getCli(io: Io, onExit: (code: number) => void): Command {
  const program = new Command("anode")
    .description("anode: a node for decentralised networks")
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help for a command")
    .option("--data-dir <dir>", "data directory (env ANODE_DATA_DIR)")
    .option("--config <file>", "config file (env ANODE_CONFIG; default <data-dir>/config.json)")
    .option(
      "--system",
      "use the system-wide data directory and config file (what the system service runs with)",
    )
    .addOption(
      new Option("--api-port <port>", "control API port (env ANODE_API_PORT)").argParser(
        parseIntOption("--api-port", 1, 65535),
      ),
    )
    .option("--chain <id>", "with several chains followed: the one to address (default: the first)")
    .option("--json", "print machine-readable JSON")
    .addHelpText("after", `\n${EXIT_CODES_HELP}\n`)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const spec of commands) addCommand(program, spec, io, onExit);
  return program;
}

function addCommand(
  parent: Command,
  spec: CommandSpec,
  io: Io,
  onExit: (code: number) => void,
): void {
  const cmd = parent.command(spec.command).description(spec.describe);
  for (const o of spec.options ?? []) {
    const opt = new Option(o.flags, o.describe);
    if (o.parse) opt.argParser(o.parse as (value: string, previous: unknown) => unknown);
    if (o.default !== undefined) opt.default(o.default);
    cmd.addOption(opt);
  }
  if (spec.examples) cmd.addHelpText("after", `\n${spec.examples}\n`);
  for (const sub of spec.subcommands ?? []) addCommand(cmd, sub, io, onExit);
  const handler = spec.handler;
  if (handler) {
    cmd.action(async (...received: unknown[]) => {
      const command = received[received.length - 1] as Command;
      const code = await handler({ args: command.args, options: command.optsWithGlobals(), io });
      onExit(code ?? 0);
    });
  }
}
