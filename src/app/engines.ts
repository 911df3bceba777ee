import { engineModules } from "../node";

/** The engine modules this bundle brings, by module name (see src/node/engineModules.ts). */
export const engines = engineModules;
