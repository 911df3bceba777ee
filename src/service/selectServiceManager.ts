import { existsSync } from "node:fs";
import { posix, win32 } from "node:path";
// The pure path function only: the config folder's index would pull ajv and conf into
// build/render-service-files.mjs, which bundles this folder to write the installers' files.
import { platformPaths } from "../config/platformPaths";
import type { CommandRunner } from "./commandRunner";
import { launchdManager } from "./launchdManager";
import { WINSW_BASENAME } from "./renderWinswXml";
import { schtasksManager } from "./schtasksManager";
import type { ServiceScope } from "./serviceConstants";
import { serviceError } from "./serviceError";
import type { ServiceManager } from "./serviceManager";
import { systemdManager } from "./systemdManager";
import { winswManager } from "./winswManager";

/** Everything about the host that picks and places a service manager; tests pass their own. */
export interface ServiceHost {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly uid: number;
  readonly runner: CommandRunner;
  /** Prefixed to every system path (unit and plist directories); `/` on a real host. */
  readonly root?: string;
  /** The system data directory (Windows: granted to the service account); from config. */
  readonly systemDataDir?: string;
  /** The system config file (Windows: in a folder the service account only reads). */
  readonly systemConfigFile?: string;
  /** Whether a path exists; defaults to the real file system. */
  readonly exists?: (path: string) => boolean;
}

export interface SelectOptions {
  readonly scope: ServiceScope;
  /** The program and leading arguments that run the CLI. */
  readonly command: readonly string[];
  /** Windows: the WinSW executable (default: anode-service.exe beside the binary). */
  readonly winsw?: string;
}

function systemdUserDir(host: ServiceHost): string {
  const xdg = host.env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && posix.isAbsolute(xdg) ? xdg : posix.join(host.home, ".config");
  return posix.join(base, "systemd", "user");
}

/** The host's service manager for a scope: systemd, launchd, WinSW or Task Scheduler. */
export function selectServiceManager(host: ServiceHost, opts: SelectOptions): ServiceManager {
  const exists = host.exists ?? existsSync;
  const root = host.root ?? "/";
  const definition = { command: opts.command, scope: opts.scope };
  switch (host.platform) {
    case "linux":
      return systemdManager({
        definition,
        unitDir:
          opts.scope === "system" ? posix.join(root, "etc/systemd/system") : systemdUserDir(host),
        sysusersDir: posix.join(root, "etc/sysusers.d"),
        systemdRunning: exists(posix.join(root, "run/systemd/system")),
        runner: host.runner,
      });
    case "darwin":
      return launchdManager({
        definition,
        home: host.home,
        uid: host.uid,
        runner: host.runner,
        root,
      });
    case "win32": {
      if (opts.scope === "user") return schtasksManager({ definition, runner: host.runner });
      const binary = opts.command[0] ?? "anode.exe";
      const paths = platformPaths({
        platform: "win32",
        env: host.env,
        home: host.home,
        system: true,
      });
      return winswManager({
        definition,
        wrapper: opts.winsw ?? win32.join(win32.dirname(binary), `${WINSW_BASENAME}.exe`),
        dataDir: host.systemDataDir ?? paths.dataDir,
        configFile: host.systemConfigFile ?? paths.configFile,
        runner: host.runner,
      });
    }
    default:
      throw serviceError(
        "SERVICE_MANAGER_ABSENT",
        `Cannot manage a service on ${host.platform}: anode knows systemd, launchd and the Windows SCM`,
      );
  }
}
