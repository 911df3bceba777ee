import { join } from "node:path";

/**
 * Files of the data directory that the node writes and its clients read. Here, not in
 * src/api, so a client command finds the API token without evaluating the API's engine
 * and metrics (prom-client): `anode status` loads only what it needs.
 */
export const TOKEN_FILE = "api.token";

export function tokenPath(dataDir: string): string {
  return join(dataDir, TOKEN_FILE);
}
