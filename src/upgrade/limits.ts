/** Named limits of the upgrade engine, applied wherever bytes or requests come from peers. */

/** The most one release may make a node fetch (all artifacts it needs together). */
export const MAX_RELEASE_BYTES = 1024 * 1024 * 1024;
/** Bytes asked of a peer in one request: under the p2p direct-message frame limit (1 MiB). */
export const MAX_PIECE_BYTES = 256 * 1024;
/** A request slower than this many bytes per second is abandoned and the peer penalised. */
export const MIN_PEER_BYTES_PER_SECOND = 256 * 1024;
/** Every request may take at least this long, whatever its size (round trip, queueing). */
export const MIN_PIECE_DEADLINE_MS = 3_000;
/**
 * The most a node asks of one peer per second: below the p2p layer's per-peer inbound
 * limit (16 MiB/s, src/p2p), which closes a link above it, leaving room for gossip and
 * consensus traffic on the same link.
 */
export const PEER_FETCH_BYTES_PER_SECOND = 12 * 1024 * 1024;
/** Requests in flight to one peer, so a slow peer holds up few chunks. */
export const MAX_IN_FLIGHT_PER_PEER = 4;
/** How often a downloading node asks its peers which chunks they hold. */
export const HAVE_POLL_MS = 300;
/** How often the fetch loop looks for work when it is otherwise idle. */
export const FETCH_TICK_MS = 50;
/** A peer that sent a bad chunk (wrong hash, wrong size) is not asked again for this long. */
export const BAD_PEER_BAN_MS = 10 * 60_000;
/** A peer too slow for a request rests for this long, doubling each time. */
export const SLOW_PEER_BACKOFF_MS = 2_000;
/** Refusals and alerts kept for `upgrade status`. */
export const MAX_REPORTED_EVENTS = 32;
/** Releases kept in the staging area (the newest ones); older ones are deleted. */
export const MAX_STAGED_RELEASES = 4;
/** A peer that says it is busy is asked again after this long. */
export const BUSY_PEER_REST_MS = 200;
/** A piece request that would wait longer than this in the upload queue is answered "busy". */
export const MAX_UPLOAD_QUEUE_MS = 1_500;
/** Chunks kept in memory for serving, so a popular chunk is read from disk once. */
export const SERVE_CACHE_CHUNKS = 16;
/**
 * A staged rollout's turn is looked at again at least this often: a timer cannot wait
 * longer than 2^31 ms (Node fires a longer one at once, in a loop), and a far turn
 * should still notice a clock that moved.
 */
export const MAX_TURN_WAIT_MS = 60 * 60_000;
