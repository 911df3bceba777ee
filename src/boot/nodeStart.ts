/**
 * Set to 1 by an operator running `anode start` by hand to get a supervising parent that
 * restarts the node on the restart code; the parent sets it to "child" for the node it
 * spawns. Off by default: systemd, launchd and the SCM restart the node themselves.
 */
export const SUPERVISE_ENV = "ANODE_SUPERVISE";

/**
 * Whether this invocation runs a node (not a CLI call, not the supervising parent): only
 * a node may claim or settle a binary trial. Boot has no parser of its own; a flag value
 * spelled "start" would be taken for the command, which only matters during a trial.
 */
export function isNodeStart(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (env[SUPERVISE_ENV] === "1") return false;
  return argv.includes("start");
}

/**
 * The exit code that asks for a restart; src/service documents it to the service
 * managers (a test checks the two agree). Boot keeps its own copy so the binary's boot
 * layer does not load the service installers.
 */
export const RESTART_EXIT_CODE = 75;
