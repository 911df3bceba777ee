import { apiEngine } from "../api";
import {
  consensusEngine,
  executorEngine,
  loggerEngine,
  mempoolEngine,
  orderingEngine,
  routerEngine,
  storageEngine,
  transportEngine,
  upgradeEngine,
  workerEngine,
} from "../engines";
import type { AnyEngineModule } from "../runtime";

/**
 * Every engine module the app brings, by module name: what a node's module table starts
 * from, and what a running node's upgrade engine reads from a newly verified bundle to
 * swap each module whose version differs (the release manifest lists the same names).
 * The broker's modules come from the runtime and join the table there.
 */
export const engineModules: Readonly<Record<string, AnyEngineModule>> = Object.freeze(
  Object.fromEntries(
    [
      storageEngine,
      loggerEngine,
      orderingEngine,
      executorEngine,
      workerEngine,
      mempoolEngine,
      consensusEngine,
      routerEngine,
      transportEngine,
      apiEngine,
      upgradeEngine,
    ].map((m) => [m.name, m as AnyEngineModule]),
  ),
);
