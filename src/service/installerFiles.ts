import { renderLaunchdPlist } from "./renderLaunchdPlist";
import { renderSystemdUnit } from "./renderSystemdUnit";
import { renderSysusersConf } from "./renderSysusersConf";
import { renderWinswXml, WINSW_BASENAME } from "./renderWinswXml";
import { LAUNCHD_LABEL, SERVICE_NAME } from "./serviceConstants";
import { serviceError } from "./serviceError";

/** A file under installers/ that is rendered whole from the service renderers. */
export interface InstallerFile {
  readonly path: string;
  readonly text: string;
}

/** A block inside a hand-written file (install.sh) that is rendered between markers. */
export interface InstallerBlock {
  readonly path: string;
  readonly name: string;
  /** The shell variable the block assigns. */
  readonly variable: string;
  readonly text: string;
}

/** Where each installer puts the binary, so each definition names the right program. */
export const INSTALLED_BINARY = {
  deb: "/usr/bin/anode",
  script: "/usr/local/bin/anode",
  macos: "/usr/local/bin/anode",
  // WinSW expands %BASE% to its own directory, where install.ps1 puts anode.exe.
  windows: "%BASE%\\anode.exe",
} as const;

/**
 * Every service definition the installers ship, from the same renderers `anode service`
 * uses. build/render-service-files.mjs writes them; a test checks the committed copies.
 */
export function installerFiles(): InstallerFile[] {
  return [
    {
      path: `installers/linux/${SERVICE_NAME}.service`,
      text: renderSystemdUnit({
        command: [INSTALLED_BINARY.deb],
        scope: "system",
        binarySwap: false,
      }),
    },
    { path: `installers/linux/${SERVICE_NAME}.sysusers.conf`, text: renderSysusersConf() },
    {
      path: `installers/macos/${LAUNCHD_LABEL}.plist`,
      text: renderLaunchdPlist({ command: [INSTALLED_BINARY.macos], scope: "system" }),
    },
    {
      path: `installers/macos/${LAUNCHD_LABEL}.agent.plist`,
      text: renderLaunchdPlist({ command: [INSTALLED_BINARY.macos], scope: "user" }),
    },
    {
      path: `installers/windows/${WINSW_BASENAME}.xml`,
      text: renderWinswXml({ command: [INSTALLED_BINARY.windows], scope: "system" }),
    },
  ];
}

/** The blocks of install.sh that embed the unit and sysusers line (it may run piped). */
export function installerBlocks(): InstallerBlock[] {
  return [
    {
      path: "installers/linux/install.sh",
      name: "UNIT",
      variable: "ANODE_UNIT",
      text: renderSystemdUnit({ command: [INSTALLED_BINARY.script], scope: "system" }),
    },
    {
      path: "installers/linux/install.sh",
      name: "SYSUSERS",
      variable: "ANODE_SYSUSERS",
      text: renderSysusersConf(),
    },
  ];
}

/**
 * Replaces the lines between `# BEGIN GENERATED <name>` and `# END GENERATED <name>`
 * with a quoted heredoc holding `text` (quoted, so the shell expands nothing in it).
 */
export function spliceBlock(file: string, name: string, variable: string, text: string): string {
  const begin = `# BEGIN GENERATED ${name}`;
  const end = `# END GENERATED ${name}`;
  const from = file.indexOf(begin);
  const to = file.indexOf(end);
  if (from < 0 || to < from)
    throw serviceError(
      "SERVICE_UNSUPPORTED",
      `Cannot render block ${name}: its markers are missing`,
    );
  const body = `${begin} (src/service; run: node build/render-service-files.mjs)\n${variable}=$(cat <<'ANODE_${name}_EOF'\n${text}ANODE_${name}_EOF\n)\n`;
  return file.slice(0, from) + body + file.slice(to);
}
