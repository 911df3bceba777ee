// The boot layer's public surface for the app (the contract types) and for the upgrade
// engine (where installed bundles live and how their state is recorded, the staging
// area, the binary swap), and the small helpers boot needs before any app runs (atomic
// writes, platform paths, exit codes, the version stamp). The entry point itself is
// main.ts, which only the build uses.
export {
  APP_BUNDLE_FILE,
  APP_MANIFEST_FILE,
  APP_STATE_FILE,
  appLayout,
  MAX_APP_BUNDLE_BYTES,
} from "./appLayout";
export { type AppState, emptyAppState, markBad, readAppState, writeAppState } from "./appState";
export { BINARY_LAYER } from "./binaryLayer";
export { binaryPaths, restoreBinary, stageBinary, swapBinary } from "./binarySwap";
export {
  type BinaryTrialMarker,
  binaryTrialFile,
  clearBinaryTrial,
  readBinaryTrial,
  writeBinaryTrial,
} from "./binaryTrialMarker";
export { type BinaryTrialInput, type BinaryTrialStep, binaryTrialStep } from "./binaryTrialStep";
export { BootError, type BootErrorType } from "./bootError";
export { bootTrust } from "./bootTrust";
export { cacheDir } from "./cacheDir";
export { checkStagedBinary, type StagedBinaryCheck } from "./checkStagedBinary";
export { checkTrustFile } from "./checkTrustFile";
export { EMBEDDED_APP_ASSET, embeddedApp } from "./embeddedApp";
export { type EvaluateAppOptions, type EvaluatedApp, evaluateApp } from "./evaluateApp";
export { EXIT, EXIT_CODES_HELP, type ExitCode } from "./exitCodes";
export {
  type AppHost,
  type AppModule,
  appEngines,
  type BootInfo,
  HOST_API_VERSION,
  HOST_MODULES,
  type RefusedBundle,
} from "./hostContract";
export { installAppBundle } from "./installAppBundle";
export { listInstalledVersions, loadInstalledApp } from "./loadInstalledApp";
export { isNodeStart, RESTART_EXIT_CODE, SUPERVISE_ENV } from "./nodeStart";
export {
  DPKG_QUERY_TIMEOUT_MS,
  dpkgPackageOf,
  type PackageOwner,
  packageOwner,
  parseDpkgQueryOwner,
} from "./packageOwner";
export { platformOf } from "./platformOf";
export {
  type PlatformPaths,
  type PlatformPathsOptions,
  pathApi,
  platformPaths,
} from "./platformPaths";
export { resolveConfigFile, resolveDataDir } from "./resolveDataDir";
export {
  configTrustedKeys,
  type ResolvedTrust,
  resolveTrust,
  TRUSTED_KEYS_ENV,
  type TrustSource,
} from "./resolveTrust";
export { selectCandidates } from "./selectCandidates";
export { settleBinaryTrial } from "./settleBinaryTrial";
export { settleTrial } from "./settleTrial";
export {
  BINARY_SWAP_ENV,
  readUntrustedFile,
  removeStagedBinary,
  stagedBinaryPaths,
  writeStagedBinary,
} from "./stagedBinary";
export { stagingLayout } from "./stagingLayout";
export {
  clearTrialMarker,
  pidAlive,
  readTrialMarker,
  type TrialMarker,
  trialMarkerFile,
  writeTrialMarker,
} from "./trialMarker";
export {
  describeTrust,
  describeTrustSource,
  type TrustSummary,
  trustSummary,
} from "./trustSummary";
export { readUpgradeState, type UpgradeState, writeUpgradeState } from "./upgradeState";
export { verifyAppBundle } from "./verifyAppBundle";
export { VERSION } from "./version";
export { writeFileAtomic } from "./writeFileAtomic";
