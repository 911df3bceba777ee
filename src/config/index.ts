export {
  ConfigError,
  type ConfigErrorType,
  type ConfigIssue,
  type ConfigSource,
} from "./configError";
export {
  type ChainSetting,
  type ConsensusOptions,
  defaultConsensusOptions,
  type ValidatorSetting,
} from "./consensusOptions";
export { TOKEN_FILE, tokenPath } from "./dataFiles";
export type { DeepPartial } from "./deepPartial";
export { defaultNodeOptions } from "./defaultNodeOptions";
export { getConfigValue } from "./getConfigValue";
export { type ConfigKeyInfo, listConfigKeys } from "./listConfigKeys";
export {
  CONFIG_FILE_ENV,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
} from "./loadConfig";
export type { NodeOptions, PeerAddress } from "./nodeOptions";
export { nodeOptionsSchema, type SchemaNode } from "./nodeOptionsSchema";
export { type PlatformPaths, type PlatformPathsOptions, platformPaths } from "./platformPaths";
export { setConfigValue } from "./setConfigValue";
export {
  defaultUpgradeOptions,
  type TrustedKeysSetting,
  UPGRADE_CHANNELS,
  UPGRADE_POLICIES,
  type UpgradeChannel,
  type UpgradeOptions,
  type UpgradePolicy,
} from "./upgradeOptions";
