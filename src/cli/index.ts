export type { CommandSpec, GlobalOptions } from "./commandSpec";
export { EXIT, type ExitCode } from "./exitCodes";
export { getCli } from "./getCli";
export { type CliHost, type Io, processIo } from "./io";
export { exitCodeOf, runCli } from "./runCli";
