/** The name every service manager knows the node by (systemd unit, WinSW id, task name). */
export const SERVICE_NAME = "anode";

/** launchd labels are reverse-DNS; one label serves the daemon and the agent. */
export const LAUNCHD_LABEL = "org.anode.node";

/**
 * The exit code that means "restart me": the node exits with it after it has put a new
 * binary in place (EX_TEMPFAIL from sysexits.h). Every service definition restarts the
 * node on it, and none counts it as a failure.
 */
export const RESTART_EXIT_CODE = 75;

/**
 * The variable a system unit sets to say its root pre-start step applies binary releases
 * (src/upgrade/binary's BINARY_SWAP_ENV, which the node reads; a test checks they agree).
 */
export const BINARY_SWAP_ENV = "ANODE_BINARY_SWAP";

export const SERVICE_DESCRIPTION = "anode: a node for decentralised networks";

/** A service runs for the whole machine (boot, dedicated account) or for one user's login. */
export type ServiceScope = "system" | "user";

/** The account a system service runs as on Linux and macOS. */
export const SYSTEM_USER = { linux: "anode", macos: "_anode" } as const;
