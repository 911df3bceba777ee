// Exit codes are boot's (it exits with them before any app runs). The file, not boot's
// index, so that every command's import of them does not load all of boot.
export { EXIT, EXIT_CODES_HELP, type ExitCode } from "../boot/exitCodes";
