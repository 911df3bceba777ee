import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CommandRunner } from "./commandRunner";
import { renderSystemdUnit } from "./renderSystemdUnit";
import { renderSysusersConf } from "./renderSysusersConf";
import { runChecked } from "./runChecked";
import { SERVICE_NAME } from "./serviceConstants";
import type { ServiceDefinition } from "./serviceDefinition";
import { serviceError } from "./serviceError";
import type { ServiceManager, ServiceStatus } from "./serviceManager";
import { removeDefinition, writeDefinition } from "./writeDefinition";

export interface SystemdManagerOptions {
  readonly definition: ServiceDefinition;
  /** `/etc/systemd/system`, or `~/.config/systemd/user` for --user. */
  readonly unitDir: string;
  /** `/etc/sysusers.d`: where the system account's sysusers line goes. */
  readonly sysusersDir: string;
  /** Whether systemd is the running init (sd_booted: /run/systemd/system exists). */
  readonly systemdRunning: boolean;
  readonly runner: CommandRunner;
}

const UNIT = `${SERVICE_NAME}.service`;

/** systemd, for a system unit or a `systemctl --user` unit. */
export function systemdManager(opts: SystemdManagerOptions): ServiceManager {
  const { definition, runner } = opts;
  const scope = definition.scope;
  const unitPath = join(opts.unitDir, UNIT);
  const scopeFlag = scope === "user" ? ["--user"] : [];
  const systemctl = (what: string, ...args: string[]) =>
    runChecked(runner, what, "systemctl", [...scopeFlag, ...args]);

  const requireSystemd = (what: string) => {
    if (!opts.systemdRunning) {
      throw serviceError(
        "SERVICE_MANAGER_ABSENT",
        `Cannot ${what}: systemd is not running on this host (no /run/systemd/system; a container?). Run \`anode start${scope === "system" ? " --system" : ""}\` under your own supervisor instead`,
      );
    }
  };
  const requireInstalled = (what: string) => {
    requireSystemd(what);
    if (!existsSync(unitPath)) {
      throw serviceError(
        "SERVICE_NOT_INSTALLED",
        `Cannot ${what}: ${unitPath} does not exist (run \`anode service install${scope === "user" ? " --user" : ""}\` first)`,
      );
    }
  };

  return {
    kind: "systemd",
    scope,
    definitionPath: unitPath,
    async install() {
      requireSystemd("install the service");
      if (scope === "system") {
        const conf = join(opts.sysusersDir, `${SERVICE_NAME}.conf`);
        await writeDefinition(conf, renderSysusersConf());
        await runChecked(runner, "create the anode account", "systemd-sysusers", [conf]);
      }
      await writeDefinition(unitPath, renderSystemdUnit(definition));
      await systemctl("reload systemd", "daemon-reload");
      await systemctl("enable the service", "enable", UNIT);
    },
    async uninstall() {
      requireInstalled("uninstall the service");
      // Stopping or disabling a unit that is already stopped or disabled is not an error.
      await runner.run("systemctl", [...scopeFlag, "disable", "--now", UNIT]);
      await removeDefinition(unitPath);
      await systemctl("reload systemd", "daemon-reload");
    },
    async start() {
      requireInstalled("start the service");
      await systemctl("start the service", "start", UNIT);
    },
    async stop() {
      requireInstalled("stop the service");
      await systemctl("stop the service", "stop", UNIT);
    },
    async status(): Promise<ServiceStatus> {
      requireSystemd("read the service status");
      if (!existsSync(unitPath))
        return { installed: false, running: false, state: "not-installed" };
      const out = await systemctl(
        "read the service status",
        "show",
        UNIT,
        "--property=ActiveState,SubState,MainPID",
      );
      const props: Record<string, string> = {};
      for (const line of out.stdout.split("\n")) {
        const eq = line.indexOf("=");
        if (eq > 0) props[line.slice(0, eq)] = line.slice(eq + 1).trim();
      }
      const pid = Number(props.MainPID);
      const active = props.ActiveState ?? "unknown";
      return {
        installed: true,
        running: active === "active",
        state: props.SubState ? `${active} (${props.SubState})` : active,
        ...(pid > 0 ? { pid } : {}),
      };
    },
  };
}
