export { cliCommand, isInterpreter } from "./cliCommand";
export { type CommandRunner, execRunner, type RunResult } from "./commandRunner";
export {
  INSTALLED_BINARY,
  type InstallerBlock,
  type InstallerFile,
  installerBlocks,
  installerFiles,
  spliceBlock,
} from "./installerFiles";
export { LAUNCHD_PATHS, type LaunchdDefinition, renderLaunchdPlist } from "./renderLaunchdPlist";
export { renderSystemdUnit } from "./renderSystemdUnit";
export { renderSysusersConf } from "./renderSysusersConf";
export { renderWinswXml, WINSW_BASENAME } from "./renderWinswXml";
export { type SelectOptions, type ServiceHost, selectServiceManager } from "./selectServiceManager";
export {
  BINARY_SWAP_ENV,
  LAUNCHD_LABEL,
  RESTART_EXIT_CODE,
  SERVICE_NAME,
  type ServiceScope,
  SYSTEM_USER,
} from "./serviceConstants";
export { type ServiceDefinition, serviceArgs } from "./serviceDefinition";
export { ServiceError, type ServiceErrorCode, serviceError } from "./serviceError";
export type { ServiceManager, ServiceManagerKind, ServiceStatus } from "./serviceManager";
export {
  type ReachOptions,
  type UnreachableCommand,
  unreachableCommand,
} from "./unreachableCommand";
export { parseWinswStatus } from "./winswManager";
