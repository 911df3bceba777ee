import { realpathSync } from "node:fs";
import { type ServiceDefinition, type ServiceHost, unreachableCommand } from "../../../service";

/** What is wrong with the command a service would run, and what to do instead. */
export interface ReachProblems {
  readonly why: string;
  readonly fix: string;
}

// Where each platform's installers put the single binary, so the advice matches them.
const FIX: Partial<Record<NodeJS.Platform, string>> = {
  linux:
    "Run the single binary from a system path: `npm run build:binary`, `sudo install -m 0755 dist/bin/anode-linux-x64 /usr/local/bin/anode`, then `sudo /usr/local/bin/anode service install` (or install the .deb), or name it with --binary",
  darwin:
    "Run the single binary from a system path: `npm run build:binary`, `sudo install -m 0755 dist/bin/anode-macos-arm64 /usr/local/bin/anode`, then `sudo /usr/local/bin/anode service install` (or use Homebrew), or name it with --binary",
  win32:
    "Run the single binary from a lasting place: copy anode-win-x64.exe to C:\\Program Files\\anode\\anode.exe (install.ps1 does) and run `anode.exe service install` from there, or name it with --binary",
};

/** The file a symlink leads to, which is what the service manager ends up opening. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The problems unreachableCommand finds on this host, for the command as written and for
 * the files its symlinks lead to, as one reason and one remedy.
 */
export function reachProblems(
  def: ServiceDefinition,
  host: ServiceHost,
  o: { realpath?: (path: string) => string } = {},
): ReachProblems | undefined {
  const env = host.env;
  const tempDirs = [env.TMPDIR, env.TEMP, env.TMP].filter((d): d is string => d !== undefined);
  const reach = { platform: host.platform, tempDirs };
  const resolve = o.realpath ?? (host.platform === process.platform ? realPath : (p: string) => p);
  const resolved = { ...def, command: def.command.map(resolve) };
  const messages = new Set(
    [...unreachableCommand(def, reach), ...unreachableCommand(resolved, reach)].map(
      (f) => f.message,
    ),
  );
  if (messages.size === 0) return undefined;
  return { why: [...messages].join("; "), fix: FIX[host.platform] ?? FIX.linux ?? "" };
}
