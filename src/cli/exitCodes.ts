// Exit codes are boot's (it exits with them before any app runs); re-exported.
export { EXIT, EXIT_CODES_HELP, type ExitCode } from "../boot";
