import type { ServiceScope } from "./serviceConstants";

/** What every renderer needs to know; each platform's renderer adds its own paths. */
export interface ServiceDefinition {
  /** The program and any leading arguments that run the CLI (`["/usr/bin/anode"]`). */
  readonly command: readonly string[];
  readonly scope: ServiceScope;
  /**
   * A system service whose binary a package manager owns (the .deb) sets this false: no
   * binary release is ever applied, so nothing needs the root pre-start step that
   * verifies and swaps in a binary the node staged (src/boot/applyStagedBinary.ts).
   */
  readonly binarySwap?: boolean;
}

/**
 * The node's arguments under a service manager: a system service uses the system-wide
 * data directory and config (`--system`); a user service the user's own.
 */
export function serviceArgs(def: ServiceDefinition): string[] {
  return def.scope === "system" ? [...def.command, "start", "--system"] : [...def.command, "start"];
}
