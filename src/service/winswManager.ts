import { existsSync } from "node:fs";
import { mkdir, readdir, rename } from "node:fs/promises";
// The host's own flavour: this only runs on Windows, and tests on Linux pass posix paths.
import { basename, dirname, isAbsolute, join, relative } from "node:path";
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
  /** `%ProgramData%\anode\data`: the system data directory the service account must write. */
  readonly dataDir: string;
  /**
   * `%ProgramData%\anode\config.json`: it can replace the release keys, so its folder is
   * one the service account may only read. Never inside the data directory.
   */
  readonly configFile: string;
  readonly runner: CommandRunner;
}

/** Well-known SIDs, so the grants do not depend on the system's language. */
const SID = {
  system: "*S-1-5-18",
  administrators: "*S-1-5-32-544",
  users: "*S-1-5-32-545",
  /** NT AUTHORITY\LocalService, the service account (shared with other services). */
  localService: "*S-1-5-19",
} as const;

/**
 * The icacls commands that give the service account its data and log folders and nothing
 * else. The config's folder stops inheriting %ProgramData%'s ACL, which lets every user
 * create files in it (and own them): only SYSTEM and Administrators may change it,
 * everyone reads. The Modify grant an older install gave LocalService on the whole
 * folder (config included) is removed, and a config file it may have created or changed
 * goes back to Administrators with the folder's ACL.
 */
export function winswGrants(o: {
  /** The config file's folder. */
  root: string;
  configFile: string;
  dataDir: string;
  logDir: string;
  configExists: boolean;
}): Array<{ what: string; args: string[] }> {
  const { root } = o;
  return [
    {
      what: "make the config folder read-only to everyone but Administrators",
      args: [
        root,
        "/inheritance:r",
        "/grant:r",
        `${SID.system}:(OI)(CI)F`,
        `${SID.administrators}:(OI)(CI)F`,
        `${SID.users}:(OI)(CI)RX`,
      ],
    },
    {
      what: "take back an older install's grant on the config folder",
      args: [root, "/remove:g", SID.localService],
    },
    ...(o.configExists
      ? [
          {
            what: "give the config file back to Administrators",
            args: [o.configFile, "/setowner", SID.administrators],
          },
          { what: "reset the config file's ACL to its folder's", args: [o.configFile, "/reset"] },
        ]
      : []),
    {
      what: "grant the service its data directory",
      args: [o.dataDir, "/grant", `${SID.localService}:(OI)(CI)M`],
    },
    {
      what: "grant the service its log folder",
      args: [o.logDir, "/grant", `${SID.localService}:(OI)(CI)M`],
    },
  ];
}

/** Where WinSW writes the service's logs (renderWinswXml's logpath): beside the config. */
export function winswLogDir(configFile: string): string {
  return join(dirname(configFile), "logs");
}

/** Whether `inner` is `outer` or below it (case-insensitively on Windows). */
function within(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Installs before this layout kept the data in the config's folder: moves what is there
 * (all but the config, the logs and the new data folder) into the data directory, once,
 * so the node keeps its identity and chain.
 */
async function moveOldData(root: string, o: { dataDir: string; configFile: string }) {
  if (existsSync(o.dataDir) || !existsSync(root)) return;
  const keep = new Set(
    [o.configFile, winswLogDir(o.configFile), o.dataDir].map((p) => basename(p).toLowerCase()),
  );
  const old = (await readdir(root)).filter((name) => !keep.has(name.toLowerCase()));
  await mkdir(o.dataDir, { recursive: true });
  for (const name of old) await rename(join(root, name), join(o.dataDir, name));
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
      const root = dirname(opts.configFile);
      if (within(opts.dataDir, root)) {
        throw serviceError(
          "SERVICE_UNSUPPORTED",
          `Cannot install the service: its data directory ${opts.dataDir} holds its config ${opts.configFile}, which the service account could then rewrite (set dataDir to a folder beside the config)`,
        );
      }
      await moveOldData(root, opts);
      const logDir = winswLogDir(opts.configFile);
      for (const dir of [root, opts.dataDir, logDir]) await mkdir(dir, { recursive: true });
      const configExists = existsSync(opts.configFile);
      for (const g of winswGrants({ ...opts, root, logDir, configExists })) {
        await runChecked(runner, g.what, "icacls", g.args);
      }
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
