import { homedir } from "node:os";
import { cliCommand, execRunner, type ServiceHost } from "../../../service";

/** What `anode service` needs from the host; tests pass a temp root and a recording runner. */
export interface ServiceCommandDeps {
  readonly host: ServiceHost;
  /** The command line that runs this CLI (the binary, or node and the bundle). */
  readonly self: readonly string[];
}

export function processServiceDeps(env: NodeJS.ProcessEnv): ServiceCommandDeps {
  return {
    host: {
      platform: process.platform,
      env,
      home: homedir(),
      uid: process.getuid?.() ?? 0,
      runner: execRunner,
    },
    self: cliCommand(process.execPath, process.argv[1]),
  };
}
