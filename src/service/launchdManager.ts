import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { CommandRunner } from "./commandRunner";
import { LAUNCHD_PATHS, renderLaunchdPlist } from "./renderLaunchdPlist";
import { runChecked } from "./runChecked";
import { LAUNCHD_LABEL, SYSTEM_USER } from "./serviceConstants";
import type { ServiceDefinition } from "./serviceDefinition";
import { serviceError } from "./serviceError";
import type { ServiceManager, ServiceStatus } from "./serviceManager";
import { removeDefinition, writeDefinition } from "./writeDefinition";

export interface LaunchdManagerOptions {
  readonly definition: ServiceDefinition;
  /** The user's home (LaunchAgents and logs live under it for --user). */
  readonly home: string;
  readonly uid: number;
  readonly runner: CommandRunner;
  /** Where the plist directories are rooted; tests use a temp dir. */
  readonly root?: string;
}

/** launchd: a LaunchDaemon in the `system` domain, or a LaunchAgent in `gui/<uid>`. */
export function launchdManager(opts: LaunchdManagerOptions): ServiceManager {
  const { definition, runner } = opts;
  const scope = definition.scope;
  const root = opts.root ?? "/";
  const system = scope === "system";
  const plistPath = system
    ? join(root, LAUNCHD_PATHS.system.plistDir, `${LAUNCHD_LABEL}.plist`)
    : join(opts.home, LAUNCHD_PATHS.user.plistDir, `${LAUNCHD_LABEL}.plist`);
  const logFile = system
    ? join(root, LAUNCHD_PATHS.system.logFile)
    : join(opts.home, LAUNCHD_PATHS.user.logFile);
  const domain = system ? "system" : `gui/${opts.uid}`;
  const target = `${domain}/${LAUNCHD_LABEL}`;
  const launchctl = (what: string, ...args: string[]) =>
    runChecked(runner, what, "launchctl", args);
  const loaded = async () => (await runner.run("launchctl", ["print", target])).code === 0;

  const requireInstalled = (what: string) => {
    if (!existsSync(plistPath)) {
      throw serviceError(
        "SERVICE_NOT_INSTALLED",
        `Cannot ${what}: ${plistPath} does not exist (run \`anode service install${system ? "" : " --user"}\` first)`,
      );
    }
  };

  return {
    kind: "launchd",
    scope,
    definitionPath: plistPath,
    async install() {
      if (system) {
        // The account comes with the .pkg (installers/macos/scripts/postinstall).
        const id = await runner.run("id", ["-u", SYSTEM_USER.macos]);
        if (id.code !== 0) {
          throw serviceError(
            "SERVICE_UNSUPPORTED",
            `Cannot install the service: the ${SYSTEM_USER.macos} account does not exist (the anode .pkg creates it; or use --user)`,
          );
        }
      }
      await mkdir(dirname(logFile), { recursive: true });
      await writeDefinition(plistPath, renderLaunchdPlist({ ...definition, logFile }));
      // Clears a "disabled" override left by an earlier `launchctl disable`.
      await launchctl("enable the service", "enable", target);
    },
    async uninstall() {
      requireInstalled("uninstall the service");
      if (await loaded()) await launchctl("stop the service", "bootout", target);
      await removeDefinition(plistPath);
    },
    async start() {
      requireInstalled("start the service");
      if (await loaded()) await launchctl("start the service", "kickstart", target);
      else await launchctl("start the service", "bootstrap", domain, plistPath);
    },
    async stop() {
      requireInstalled("stop the service");
      // bootout, not kill: KeepAlive would start a killed job again.
      if (await loaded()) await launchctl("stop the service", "bootout", target);
    },
    async status(): Promise<ServiceStatus> {
      if (!existsSync(plistPath))
        return { installed: false, running: false, state: "not-installed" };
      const out = await runner.run("launchctl", ["print", target]);
      if (out.missing) {
        throw serviceError(
          "SERVICE_MANAGER_ABSENT",
          "Cannot read the service status: launchctl is not on this host",
        );
      }
      if (out.code !== 0) return { installed: true, running: false, state: "not loaded" };
      const state = /^\s*state = (.+)$/m.exec(out.stdout)?.[1]?.trim() ?? "loaded";
      const pid = Number(/^\s*pid = (\d+)$/m.exec(out.stdout)?.[1]);
      return {
        installed: true,
        running: state === "running",
        state,
        ...(pid > 0 ? { pid } : {}),
      };
    },
  };
}
