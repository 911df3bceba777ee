import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { CommandRunner } from "./commandRunner";
import { renderWinswXml } from "./renderWinswXml";
import { runChecked } from "./runChecked";
import { SERVICE_NAME } from "./serviceConstants";
import type { ServiceDefinition } from "./serviceDefinition";
import { serviceError } from "./serviceError";
import type { ServiceManager, ServiceStatus } from "./serviceManager";
import { removeDefinition, writeDefinition } from "./writeDefinition";

export interface WinswManagerOptions {
  readonly definition: ServiceDefinition;
  /** The WinSW executable; its XML is written beside it under the same base name. */
  readonly wrapper: string;
  /** `%ProgramData%\anode`: the system data directory the service account must write. */
  readonly dataDir: string;
  readonly runner: CommandRunner;
}

/** Parses `winsw status` from WinSW 1.x (`Started`) and 2.x (`Active (running)`). */
export function parseWinswStatus(stdout: string): ServiceStatus {
  const text = stdout.trim();
  if (/NonExistent/i.test(text)) return { installed: false, running: false, state: text };
  const running = /^(Started|Active)/im.test(text);
  return { installed: true, running, state: text || "unknown" };
}

/**
 * A real Windows service through WinSW, which speaks the SCM protocol for a program that
 * does not, and sets the SCM recovery actions from its XML.
 */
export function winswManager(opts: WinswManagerOptions): ServiceManager {
  const { definition, runner, wrapper } = opts;
  // WinSW reads the XML that shares its own base name, whatever the wrapper is called.
  const xmlPath = /\.exe$/i.test(wrapper) ? wrapper.replace(/\.exe$/i, ".xml") : `${wrapper}.xml`;
  const winsw = (what: string, verb: string) => runChecked(runner, what, wrapper, [verb]);
  const requireWrapper = (what: string) => {
    if (!existsSync(wrapper)) {
      throw serviceError(
        "SERVICE_UNSUPPORTED",
        `Cannot ${what}: the WinSW service wrapper is not at ${wrapper} (install.ps1 puts it next to anode.exe; or pass --winsw <path>)`,
      );
    }
  };
  const requireInstalled = (what: string) => {
    requireWrapper(what);
    if (!existsSync(xmlPath)) {
      throw serviceError(
        "SERVICE_NOT_INSTALLED",
        `Cannot ${what}: ${xmlPath} does not exist (run \`anode service install\` first)`,
      );
    }
  };

  return {
    kind: "winsw",
    scope: "system",
    definitionPath: xmlPath,
    async install() {
      requireWrapper("install the service");
      await mkdir(opts.dataDir, { recursive: true });
      // LocalService owns nothing by default; give it its data directory, inherited below.
      await runChecked(runner, "grant the service its data directory", "icacls", [
        opts.dataDir,
        "/grant",
        "*S-1-5-19:(OI)(CI)M",
      ]);
      await writeDefinition(xmlPath, renderWinswXml(definition));
      await winsw("register the service", "install");
      // WinSW sets the restart actions; this makes the SCM apply them when the node exits
      // with an error code too, not only when the wrapper process dies.
      await runChecked(runner, "enable the recovery actions", "sc.exe", [
        "failureflag",
        SERVICE_NAME,
        "1",
      ]);
    },
    async uninstall() {
      requireInstalled("uninstall the service");
      await runner.run(wrapper, ["stop"]);
      await winsw("unregister the service", "uninstall");
      await removeDefinition(xmlPath);
    },
    async start() {
      requireInstalled("start the service");
      await winsw("start the service", "start");
    },
    async stop() {
      requireInstalled("stop the service");
      await winsw("stop the service", "stop");
    },
    async status() {
      if (!existsSync(xmlPath) || !existsSync(wrapper))
        return { installed: false, running: false, state: "not-installed" };
      const out = await runner.run(wrapper, ["status"]);
      return parseWinswStatus(out.stdout);
    },
  };
}
