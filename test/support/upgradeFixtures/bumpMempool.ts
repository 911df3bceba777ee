// A test release: the app with the mempool engine at a new version whose codeChange
// carries the state over unchanged. Built by test/support/upgradeRelease.ts.

import { engines as base } from "../../../src/app/engines";
import type { AnyEngineModule } from "../../../src/runtime";

export { binaryLayer, hostApi, main, version } from "../../../src/app/main";

const mempool = base.mempool as AnyEngineModule;

const all: Record<string, AnyEngineModule> = {
  ...base,
  mempool: { ...mempool, version: `${mempool.version}-next`, codeChange: (_from, state) => state },
};

export const engines = async (): Promise<Record<string, AnyEngineModule>> => all;
