import type { RuntimeLogger } from "../runtime";
import type { ApiError } from "./apiError";

/**
 * A hostile page can send refused requests as fast as the browser allows; the log says so
 * once per this interval, with how many it did not report one by one.
 */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;

export interface RefusalLogOptions {
  intervalMs?: number;
  now?: () => number;
}

/**
 * Logs refused requests at warn, at most one line per interval. The line carries the
 * refusal's code and its metadata (headers already clipped and quoted), never raw bytes.
 */
export function refusalLog(
  log: RuntimeLogger,
  o: RefusalLogOptions = {},
): (err: ApiError, what: string) => void {
  const intervalMs = o.intervalMs ?? REFUSAL_LOG_INTERVAL_MS;
  const now = o.now ?? Date.now;
  let last: number | undefined;
  let suppressed = 0;
  return (err, what) => {
    const t = now();
    if (last !== undefined && t - last < intervalMs) {
      suppressed++;
      return;
    }
    log.warn(`control API refused ${what}`, {
      ...err.type,
      ...(suppressed > 0 ? { suppressed } : {}),
    });
    last = t;
    suppressed = 0;
  };
}
