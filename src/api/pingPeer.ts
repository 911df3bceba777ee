import type { ApiDeps } from "./apiDeps";

export const MAX_PINGS = 1_000_000;

/**
 * Remote calls to a peer's router, `window` in flight at a time: round-trip latency and
 * calls per second over the real p2p path, for operators and the p2p benchmark.
 */
export async function pingPeer(deps: ApiDeps, peer: string, count: number, window: number) {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const lane = async () => {
    while (next < count) {
      next++;
      const t0 = performance.now();
      try {
        await deps.mailer.call({ node: peer, engine: "router" }, { type: "ping" }, 10_000);
        latencies.push(performance.now() - t0);
      } catch (err) {
        failed++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
  const ms = performance.now() - start;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? null;
  return {
    peer,
    count,
    window,
    ok: latencies.length,
    failed,
    ...(firstError === undefined ? {} : { firstError }),
    ms,
    callsPerSecond: (latencies.length / ms) * 1000,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}
