// Platform paths are boot's (it finds the data directory before any app runs); re-exported.
export { type PlatformPaths, type PlatformPathsOptions, pathApi, platformPaths } from "../boot";
