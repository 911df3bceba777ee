// A test release whose new mempool engine cannot convert the running state: every node
// must stay on the old version and mark this one bad. The ordering engine changes too
// and is swapped first, so the test also shows the all-or-nothing revert.

import { engines as base } from "../../../src/app/engines";
import type { AnyEngineModule } from "../../../src/runtime";

export { binaryLayer, hostApi, main, version } from "../../../src/app/main";

const mempool = base.mempool as AnyEngineModule;
const ordering = base.ordering as AnyEngineModule;

const all: Record<string, AnyEngineModule> = {
  ...base,
  ordering: {
    ...ordering,
    version: `${ordering.version}-next`,
    codeChange: (_from, state) => state,
  },
  mempool: {
    ...mempool,
    version: `${mempool.version}-broken`,
    codeChange: () => {
      throw new Error("test fixture: this codeChange always fails");
    },
  },
};

export const engines = async (): Promise<Record<string, AnyEngineModule>> => all;
