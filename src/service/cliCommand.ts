import { basename } from "node:path";

/** Whether a program is a Node interpreter rather than anode's own executable. */
export function isInterpreter(execPath: string): boolean {
  const exe = basename(execPath.replaceAll("\\", "/")).toLowerCase();
  return exe === "node" || exe === "node.exe" || exe.startsWith("node-");
}

/**
 * The command line that runs this CLI again, for a service definition: the executable
 * itself for the single binary, `node <script>` when run from the bundle.
 */
export function cliCommand(execPath: string, script: string | undefined): string[] {
  return isInterpreter(execPath) && script !== undefined ? [execPath, script] : [execPath];
}
