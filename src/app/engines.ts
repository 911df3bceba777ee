import { apiEngine } from "../api";
import {
  executorEngine,
  loggerEngine,
  mempoolEngine,
  orderingEngine,
  routerEngine,
  storageEngine,
  transportEngine,
  upgradeEngine,
} from "../engines";
import type { AnyEngineModule } from "../runtime";

/**
 * The engine modules this bundle brings, by the name they register under. A running
 * node's upgrade engine reads this from a newly verified bundle and swaps each engine
 * whose version differs; the release manifest lists the same names and versions.
 */
export const engines: Readonly<Record<string, AnyEngineModule>> = Object.freeze(
  Object.fromEntries(
    [
      storageEngine,
      loggerEngine,
      orderingEngine,
      executorEngine,
      mempoolEngine,
      routerEngine,
      transportEngine,
      apiEngine,
      upgradeEngine,
    ].map((m) => [m.name, m as AnyEngineModule]),
  ),
);
