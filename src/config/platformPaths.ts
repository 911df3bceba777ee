// Platform paths are boot's (it finds the data directory before any app runs). The file,
// not boot's index: src/service is bundled on its own (build/render-service-files.mjs)
// and must not drag in all of boot.
export {
  type PlatformPaths,
  type PlatformPathsOptions,
  pathApi,
  platformPaths,
} from "../boot/platformPaths";
