import {
  BAD_PEER_BAN_MS,
  BUSY_PEER_REST_MS,
  MAX_IN_FLIGHT_PER_PEER,
  SLOW_PEER_BACKOFF_MS,
} from "../limits";

/** What a peer did wrong; `busy` is the peer saying its upload queue is full (honest). */
export type Offence = "bad-hash" | "oversized" | "wrong-size" | "slow" | "error" | "busy";

/** What this node holds against one peer while downloading. */
export interface Standing {
  bannedUntil: number;
  restingUntil: number;
  slowStreak: number;
  offences: Partial<Record<Offence, number>>;
}

export function cleanStanding(): Standing {
  return { bannedUntil: 0, restingUntil: 0, slowStreak: 0, offences: {} };
}

/**
 * The penalty for an offence, as a new standing. Sending bytes that do not hash to what
 * the signed manifest says (corrupt, foreign or oversized) is proof of a broken or hostile
 * peer: banned. Slowness and errors may be honest (a busy uplink): the peer rests, longer
 * each time, and is asked again later.
 */
export function penalise(s: Standing, offence: Offence, now: number): Standing {
  const offences = { ...s.offences, [offence]: (s.offences[offence] ?? 0) + 1 };
  if (offence === "bad-hash" || offence === "oversized" || offence === "wrong-size") {
    return { ...s, offences, bannedUntil: now + BAD_PEER_BAN_MS };
  }
  if (offence === "busy") return { ...s, offences, restingUntil: now + BUSY_PEER_REST_MS };
  const slowStreak = s.slowStreak + 1;
  const rest = SLOW_PEER_BACKOFF_MS * 2 ** Math.min(slowStreak - 1, 6);
  return { ...s, offences, slowStreak, restingUntil: now + rest };
}

/** A good delivery ends a slow streak. */
export function reward(s: Standing): Standing {
  return s.slowStreak === 0 ? s : { ...s, slowStreak: 0 };
}

/** How many requests the peer may have in flight now. */
export function capacityOf(s: Standing, now: number): number {
  return now < s.bannedUntil || now < s.restingUntil ? 0 : MAX_IN_FLIGHT_PER_PEER;
}
