// A test release that swaps in cleanly and then takes the process down inside its
// health window: the node must come back on the last good release and refuse this one.

import { engines as base } from "../../../src/app/engines";
import type { AnyEngineModule } from "../../../src/runtime";

export { binaryLayer, hostApi, main, version } from "../../../src/app/main";

const mempool = base.mempool as AnyEngineModule;

const all: Record<string, AnyEngineModule> = {
  ...base,
  mempool: {
    ...mempool,
    version: `${mempool.version}-crashy`,
    codeChange: (_from, state) => {
      // A delay set by the test network lets every node fetch the release before any dies.
      const after = Number(process.env.ANODE_TEST_CRASH_AFTER_MS ?? 500);
      setTimeout(() => process.kill(process.pid, "SIGKILL"), after).unref();
      return state;
    },
  },
};

export const engines = async (): Promise<Record<string, AnyEngineModule>> => all;
