import { basename } from "node:path";

/**
 * The command line that runs this CLI again, for a service definition: the executable
 * itself for the single binary, `node <script>` when run from the bundle.
 */
export function cliCommand(execPath: string, script: string | undefined): string[] {
  const exe = basename(execPath).toLowerCase();
  const isNode = exe === "node" || exe === "node.exe" || exe.startsWith("node-");
  return isNode && script !== undefined ? [execPath, script] : [execPath];
}
