/**
 * When the next request to one peer may go out so that its replies stay under `rate`
 * bytes per second: the peer's replies arrive at its own pace, but a node must never
 * ask for more than the p2p layer lets one peer send it (above that the link is closed
 * as a flood). `nextFree` is when the peer's budget frees up; the caller keeps it.
 */
export function pacePeer(
  nextFree: number | undefined,
  o: { now: number; bytes: number; rate: number },
): { at: number; nextFree: number } {
  const at = Math.max(o.now, nextFree ?? o.now);
  return { at, nextFree: at + (o.bytes / o.rate) * 1000 };
}
