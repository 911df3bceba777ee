export type { CommandSpec, GlobalOptions } from "./commandSpec";
// SHA256SUMS's rules, for the release command (build/release.mjs) as well as the CLI's own.
export {
  checkSums,
  releaseFiles,
  sumsSignatureText,
  sumsText,
} from "./commands/release/releaseSums";
export { EXIT, type ExitCode } from "./exitCodes";
export { getCli } from "./getCli";
export { type CliHost, type Io, processIo } from "./io";
export { exitCodeOf, runCli } from "./runCli";
