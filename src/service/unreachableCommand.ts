import { posix, win32 } from "node:path";
import { isInterpreter } from "./cliCommand";
import type { ServiceDefinition } from "./serviceDefinition";

/** Why a service, once installed, would not find (or soon lose) the program it runs. */
export interface UnreachableCommand {
  readonly reason: "interpreter-script" | "hidden-by-unit" | "temporary-directory";
  /** The path at fault. */
  readonly path: string;
  /** One sentence: what goes wrong and why. */
  readonly message: string;
}

export interface ReachOptions {
  readonly platform: NodeJS.Platform;
  /** The host's temporary directories beyond the well-known ones (TMPDIR, TEMP, TMP). */
  readonly tempDirs?: readonly string[];
}

// What the system unit's sandbox hides (renderSystemdUnit): PrivateTmp gives the service
// empty /tmp and /var/tmp of its own, ProtectHome makes the home directories inaccessible.
const HIDDEN_BY_SYSTEM_UNIT: ReadonlyArray<readonly [prefix: string, setting: string]> = [
  ["/tmp/", "PrivateTmp=yes"],
  ["/var/tmp/", "PrivateTmp=yes"],
  ["/home/", "ProtectHome=yes"],
  ["/root/", "ProtectHome=yes"],
  ["/run/user/", "ProtectHome=yes"],
];

const POSIX_TEMP = [
  "/tmp/",
  "/var/tmp/",
  "/private/tmp/",
  "/private/var/folders/",
  "/var/folders/",
];

function isWindows(platform: NodeJS.Platform): boolean {
  return platform === "win32";
}

/** A directory prefix in one spelling: normalised, with a trailing separator. */
function prefixOf(dir: string, platform: NodeJS.Platform): string {
  if (isWindows(platform)) {
    const d = win32.normalize(dir).toLowerCase();
    return d.endsWith("\\") ? d : `${d}\\`;
  }
  const d = posix.normalize(dir);
  return d.endsWith("/") ? d : `${d}/`;
}

function under(path: string, prefix: string, platform: NodeJS.Platform): boolean {
  const p = isWindows(platform) ? win32.normalize(path).toLowerCase() : posix.normalize(path);
  return p.startsWith(prefix);
}

function tempPrefixes(o: ReachOptions): string[] {
  const known = isWindows(o.platform)
    ? ["C:\\Windows\\Temp", "C:\\Windows\\SystemTemp"]
    : POSIX_TEMP;
  return [...known, ...(o.tempDirs ?? [])]
    .filter((d) => d !== "" && (isWindows(o.platform) ? win32 : posix).isAbsolute(d))
    .map((d) => prefixOf(d, o.platform));
}

/**
 * Whether the service manager could run `def.command` for as long as the service is
 * installed. A script run by a bare interpreter (`node /src/anode/dist/anode.cjs`, a
 * source checkout) depends on that checkout and that Node staying put, and a binary
 * release cannot replace it; the system unit's sandbox hides /tmp and the home
 * directories from the node; and a temporary directory is emptied at reboot. Pure, so
 * each platform's rules are table-tested; the CLI refuses or warns on what this finds.
 */
export function unreachableCommand(def: ServiceDefinition, o: ReachOptions): UnreachableCommand[] {
  const found: UnreachableCommand[] = [];
  const [program, script] = def.command;
  if (program === undefined) return found;
  if (script !== undefined && isInterpreter(program)) {
    found.push({
      reason: "interpreter-script",
      path: script,
      message: `the service would run the script ${script} with the interpreter ${program}: it depends on that source checkout and that Node staying in place, and a binary release cannot replace it`,
    });
  }
  const paths = def.command.slice(0, script !== undefined && isInterpreter(program) ? 2 : 1);
  const temps = tempPrefixes(o);
  for (const path of paths) {
    const hidden =
      o.platform === "linux" && def.scope === "system"
        ? HIDDEN_BY_SYSTEM_UNIT.find(([prefix]) => under(path, prefix, o.platform))
        : undefined;
    if (hidden !== undefined) {
      found.push({
        reason: "hidden-by-unit",
        path,
        message: `${path} is under ${hidden[0]}, which the unit's ${hidden[1]} hides from the service: it could never start`,
      });
    } else if (temps.some((t) => under(path, t, o.platform))) {
      found.push({
        reason: "temporary-directory",
        path,
        message: `${path} is in a temporary directory, which is emptied at reboot: the service would then fail to start`,
      });
    }
  }
  return found;
}
