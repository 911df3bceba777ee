// A test release that swaps in cleanly and then takes the process down inside its
// health window: the node must come back on the last good release and refuse this one.

import { engines as base } from "../../../src/app/main";
import type { AnyEngineModule } from "../../../src/runtime";

export { hostApi, main, version } from "../../../src/app/main";

const mempool = base.mempool as AnyEngineModule;

export const engines: Record<string, AnyEngineModule> = {
  ...base,
  mempool: {
    ...mempool,
    version: `${mempool.version}-crashy`,
    codeChange: (_from, state) => {
      setTimeout(() => process.kill(process.pid, "SIGKILL"), 500).unref();
      return state;
    },
  },
};
