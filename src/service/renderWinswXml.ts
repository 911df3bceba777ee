import { escapeXml } from "./escapeXml";
import { RESTART_EXIT_CODE, SERVICE_DESCRIPTION, SERVICE_NAME } from "./serviceConstants";
import { type ServiceDefinition, serviceArgs } from "./serviceDefinition";

/** WinSW wants the wrapper and its XML side by side, sharing a base name. */
export const WINSW_BASENAME = "anode-service";

function quoteArg(arg: string): string {
  return /[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg;
}

/**
 * The WinSW (1.x and 2.x) configuration for the Windows service. It runs as
 * LocalService, a low-privilege account; `service install` grants it the data and log
 * folders only, never the config's (winswManager.ts).
 * Every failure restarts the node (the SCM's recovery actions), which covers the
 * restart-me exit code after a binary upgrade too.
 */
export function renderWinswXml(def: ServiceDefinition): string {
  const [executable = "anode.exe", ...args] = serviceArgs({ ...def, scope: "system" });
  return `<!-- Rendered from src/service/renderWinswXml.ts; edit that, not this file.
     Every exit other than a requested stop (including ${RESTART_EXIT_CODE}, the code the node exits
     with when a new binary is in place) is a failure the recovery actions restart. -->
<service>
  <id>${SERVICE_NAME}</id>
  <name>${SERVICE_NAME}</name>
  <description>${escapeXml(SERVICE_DESCRIPTION)}</description>
  <executable>${escapeXml(executable)}</executable>
  <arguments>${escapeXml(args.map(quoteArg).join(" "))}</arguments>
  <startmode>Automatic</startmode>
  <serviceaccount>
    <domain>NT AUTHORITY</domain>
    <user>LocalService</user>
  </serviceaccount>
  <onfailure action="restart" delay="2 sec"/>
  <onfailure action="restart" delay="10 sec"/>
  <onfailure action="restart" delay="60 sec"/>
  <resetfailure>1 hour</resetfailure>
  <stoptimeout>60 sec</stoptimeout>
  <env name="ANODE_LOG_FORMAT" value="json"/>
  <logpath>%ProgramData%\\anode\\logs</logpath>
  <logmode>roll</logmode>
</service>
`;
}
