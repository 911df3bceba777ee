import { createHash } from "node:crypto";

/**
 * When this node's turn comes in a staged rollout, as a delay after the release's
 * creation: a hash of the node id and the version spread uniformly over the window. A
 * different release orders the nodes differently, so no node is always first.
 */
export function rolloutDelay(nodeId: string, version: string, windowMs: number): number {
  if (windowMs <= 0) return 0;
  const h = createHash("sha256").update(`${nodeId}\n${version}`).digest();
  return Math.floor((h.readUInt32BE(0) / 2 ** 32) * windowMs);
}
