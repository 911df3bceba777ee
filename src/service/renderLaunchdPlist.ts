import { escapeXml } from "./escapeXml";
import { LAUNCHD_LABEL, RESTART_EXIT_CODE, SYSTEM_USER } from "./serviceConstants";
import { type ServiceDefinition, serviceArgs } from "./serviceDefinition";

export interface LaunchdDefinition extends ServiceDefinition {
  /** Where stdout and stderr go; launchd needs absolute paths and expands no `~`. */
  readonly logFile?: string;
}

/** Where each scope's plist lives and logs by default. */
export const LAUNCHD_PATHS = {
  system: {
    plistDir: "/Library/LaunchDaemons",
    logFile: "/Library/Logs/anode/anode.log",
    workingDir: "/Library/Application Support/anode",
  },
  user: { plistDir: "Library/LaunchAgents", logFile: "Library/Logs/anode/anode.log" },
} as const;

type PlistValue = string | number | boolean | readonly string[] | { [key: string]: PlistValue };

function render(value: PlistValue, indent: string): string {
  if (typeof value === "string") return `${indent}<string>${escapeXml(value)}</string>`;
  if (typeof value === "number") return `${indent}<integer>${value}</integer>`;
  if (typeof value === "boolean") return `${indent}<${value}/>`;
  if (Array.isArray(value)) {
    const items = value.map((v: string) => render(v, `${indent}  `));
    return [`${indent}<array>`, ...items, `${indent}</array>`].join("\n");
  }
  const entries = Object.entries(value as Record<string, PlistValue>).flatMap(([k, v]) => [
    `${indent}  <key>${escapeXml(k)}</key>`,
    render(v, `${indent}  `),
  ]);
  return [`${indent}<dict>`, ...entries, `${indent}</dict>`].join("\n");
}

/**
 * The launchd job: a LaunchDaemon (system, as the `_anode` account, started at boot) or a
 * LaunchAgent (user, started at login). KeepAlive restarts the node whenever it exits
 * unsuccessfully, which includes the restart-me code after a binary upgrade.
 */
export function renderLaunchdPlist(def: LaunchdDefinition): string {
  const system = def.scope === "system";
  const job: Record<string, PlistValue> = {
    Label: LAUNCHD_LABEL,
    ProgramArguments: serviceArgs(def),
    RunAtLoad: true,
    KeepAlive: { SuccessfulExit: false },
    // Seconds between restarts, so a node that crashes at start does not spin.
    ThrottleInterval: 10,
    ProcessType: "Background",
    // Hundreds of peers and LevelDB's files need more than the default 256.
    SoftResourceLimits: { NumberOfFiles: 65536 },
    EnvironmentVariables: { ANODE_LOG_FORMAT: "json" },
  };
  if (system) {
    job.UserName = SYSTEM_USER.macos;
    job.GroupName = SYSTEM_USER.macos;
    job.WorkingDirectory = LAUNCHD_PATHS.system.workingDir;
    job.Umask = 23; // 0027: nothing for others to read in the data directory
  }
  const logFile = def.logFile ?? (system ? LAUNCHD_PATHS.system.logFile : undefined);
  if (logFile !== undefined) {
    job.StandardOutPath = logFile;
    job.StandardErrorPath = logFile;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Rendered from src/service/renderLaunchdPlist.ts; edit that, not this file.
     KeepAlive/SuccessfulExit=false restarts the node after a crash and after exit ${RESTART_EXIT_CODE},
     the code the node exits with when a new binary is in place. -->
<plist version="1.0">
${render(job, "")}
</plist>
`;
}
