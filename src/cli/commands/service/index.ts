import { resolve } from "node:path";
import {
  renderLaunchdPlist,
  renderSystemdUnit,
  renderWinswXml,
  type ServiceManager,
  type ServiceScope,
  selectServiceManager,
} from "../../../service";
import { cliError } from "../../cliError";
import type { CommandContext, CommandSpec, OptionSpec } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { type Io, printJson, println } from "../../io";
import { reachProblems } from "./reachProblems";
import { processServiceDeps, type ServiceCommandDeps } from "./serviceCommandDeps";
import { toCliError } from "./toCliError";

interface ServiceOptions {
  user?: boolean;
  binary?: string;
  winsw?: string;
  print?: boolean;
  force?: boolean;
}

const userOption: OptionSpec = {
  flags: "--user",
  describe: "the current user's service (systemd --user, a LaunchAgent, a logon task)",
};

function scopeOf(o: ServiceOptions): ServiceScope {
  return o.user ? "user" : "system";
}

function commandOf(o: ServiceOptions, deps: ServiceCommandDeps): readonly string[] {
  return o.binary === undefined ? deps.self : [resolve(o.binary)];
}

function managerFor(o: ServiceOptions, deps: ServiceCommandDeps): ServiceManager {
  return selectServiceManager(deps.host, {
    scope: scopeOf(o),
    command: commandOf(o, deps),
    ...(o.winsw === undefined ? {} : { winsw: resolve(o.winsw) }),
  });
}

/** The definition `install` would write, for `--print`. */
function renderFor(o: ServiceOptions, deps: ServiceCommandDeps): string {
  const def = { command: commandOf(o, deps), scope: scopeOf(o) };
  if (deps.host.platform === "darwin") return renderLaunchdPlist(def);
  if (deps.host.platform === "win32") return renderWinswXml(def);
  return renderSystemdUnit(def);
}

/** `--print` and `--force` install what the check found wrong; say so on stderr. */
function warn(io: Io, problems: ReturnType<typeof reachProblems>): void {
  if (problems !== undefined)
    io.stderr.write(`anode service: warning: ${problems.why}. ${problems.fix}\n`);
}

type Verb = "install" | "uninstall" | "start" | "stop";

const DONE: Record<Verb, string> = {
  install: "installed and enabled at boot",
  uninstall: "uninstalled (data and config kept)",
  start: "started",
  stop: "stopped",
};

function verbCommand(
  verb: Verb,
  describe: string,
  getDeps: (ctx: CommandContext<ServiceOptions>) => ServiceCommandDeps,
  extra: OptionSpec[] = [],
): CommandSpec {
  return {
    command: verb,
    describe,
    options: [userOption, ...extra],
    async handler(ctx: CommandContext<ServiceOptions>) {
      const o = ctx.options;
      const deps = getDeps(ctx);
      if (verb === "install") {
        const problems = reachProblems(
          { command: commandOf(o, deps), scope: scopeOf(o) },
          deps.host,
        );
        if (o.print) {
          ctx.io.stdout.write(renderFor(o, deps));
          warn(ctx.io, problems);
          return EXIT.OK;
        }
        if (problems !== undefined && !o.force)
          throw cliError(
            EXIT.USAGE,
            "SERVICE_COMMAND_UNREACHABLE",
            `Cannot install the service: ${problems.why}. ${problems.fix}; --force installs it anyway`,
          );
        warn(ctx.io, problems);
      }
      const manager = managerFor(o, deps);
      try {
        await manager[verb]();
      } catch (err) {
        throw toCliError(err);
      }
      const result = { action: verb, manager: manager.kind, scope: manager.scope };
      if (o.json) printJson(ctx.io, { ...result, definition: manager.definitionPath });
      else
        println(ctx.io, `anode service ${DONE[verb]} (${manager.kind}, ${manager.definitionPath})`);
      return EXIT.OK;
    },
  };
}

/**
 * Listed for --help only: the packaged binary's boot runs `service apply-binary` itself,
 * as root, before any app bundle is chosen (src/boot/applyBinaryCommand.ts), so this
 * handler runs only when boot did not (an app evaluated some other way).
 */
const applyBinary: CommandSpec = {
  command: "apply-binary",
  describe:
    "systemd's root pre-start step: verify a binary release the node staged and swap it in (run by the unit, not by hand)",
  async handler() {
    throw cliError(
      EXIT.USAGE,
      "CLI_BOOT_ONLY",
      "Cannot apply a staged binary here: only the packaged binary's boot runs this step, as root, from the unit's ExecStartPre",
    );
  },
};

/** `anode service ...` over the given host; the CLI uses the real one. */
export function serviceCommandFor(
  getDeps: (ctx: CommandContext<ServiceOptions>) => ServiceCommandDeps = (ctx) =>
    processServiceDeps(ctx.io.env),
): CommandSpec {
  const status: CommandSpec = {
    command: "status",
    describe: "whether the service is installed and running (exit 0 running, 3 stopped, 5 absent)",
    options: [userOption],
    async handler(ctx: CommandContext<ServiceOptions>) {
      const manager = managerFor(ctx.options, getDeps(ctx));
      let st: Awaited<ReturnType<ServiceManager["status"]>>;
      try {
        st = await manager.status();
      } catch (err) {
        throw toCliError(err);
      }
      if (ctx.options.json)
        printJson(ctx.io, {
          manager: manager.kind,
          scope: manager.scope,
          definition: manager.definitionPath,
          ...st,
        });
      else
        println(
          ctx.io,
          st.installed
            ? `anode service: ${st.state}${st.pid === undefined ? "" : ` (pid ${st.pid})`} (${manager.kind}, ${manager.definitionPath})`
            : `anode service: not installed (${manager.kind}, ${manager.definitionPath})`,
        );
      if (!st.installed) return EXIT.NOT_FOUND;
      return st.running ? EXIT.OK : EXIT.UNAVAILABLE;
    },
  };
  return {
    command: "service",
    describe: "run the node under the host's service manager (systemd, launchd, Windows SCM)",
    examples: `Examples:
  sudo anode service install && sudo anode service start   # system service, runs anode start --system
  anode service install --user                             # your own service, your data directory
  anode service install --print                            # show the unit/plist/XML, change nothing
  anode service status --json`,
    subcommands: [
      verbCommand(
        "install",
        "write the service definition and enable it at boot or login",
        getDeps,
        [
          {
            flags: "--binary <path>",
            describe: "the anode executable the service runs (default: this one)",
          },
          {
            flags: "--winsw <path>",
            describe: "Windows: the WinSW wrapper (default: anode-service.exe beside the binary)",
          },
          { flags: "--print", describe: "print the definition instead of installing it" },
          {
            flags: "--force",
            describe:
              "install even when the service could not run the executable (a script, /tmp, a home directory)",
          },
        ],
      ),
      verbCommand(
        "uninstall",
        "stop the service and remove its definition (data is kept)",
        getDeps,
        [{ flags: "--winsw <path>", describe: "Windows: the WinSW wrapper" }],
      ),
      verbCommand("start", "start the installed service", getDeps),
      verbCommand("stop", "stop the running service", getDeps),
      status,
      applyBinary,
    ],
  };
}

export const serviceCommand: CommandSpec = serviceCommandFor();
