import { basename, dirname } from "node:path";
import Conf from "conf";

/**
 * A conf store for exactly `file`. `cwd` plus the whole file name as `configName` (and no
 * extension) pins the location, so conf never consults env-paths and never needs
 * `import.meta`, which keeps it working once bundled to CommonJS.
 *
 * No schema is handed to conf: it reports violations as one flattened string and refuses
 * to open a file that already fails the schema, which would stop `config set` from
 * repairing one. Callers validate with `validateOptions` (the same schema) instead.
 */
export function configStore(file: string): Conf<Record<string, unknown>> {
  return new Conf<Record<string, unknown>>({
    projectName: "anode",
    cwd: dirname(file),
    configName: basename(file),
    fileExtension: "",
  });
}
